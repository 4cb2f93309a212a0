import { requireUser } from "@/app/_lib/session";
import { EmptyState } from "@/components/empty-state";
import { db } from "@/lib/db/client";

export default async function ResourcesPage() {
  const user = await requireUser();
  const resources = await db().resource.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, label: true, kind: true, host: true, coresPerNode: true },
  });
  return (
    <>
      <h1>Resources</h1>
      {resources.length === 0 ? (
        <EmptyState title="No resources">Add an SSH resource (SLURM, PBS, LSF or fork) to run pilots on a cluster.</EmptyState>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Label</th>
              <th>Kind</th>
              <th>Host</th>
              <th>Cores per node</th>
            </tr>
          </thead>
          <tbody>
            {resources.map((r) => (
              <tr key={r.id}>
                <td>{r.label}</td>
                <td>{r.kind}</td>
                <td>{r.host ?? ""}</td>
                <td>{r.coresPerNode ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
