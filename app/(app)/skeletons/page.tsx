import { requireUser } from "@/app/_lib/session";
import { EmptyState } from "@/components/empty-state";
import { db } from "@/lib/db/client";

export default async function SkeletonsPage() {
  const user = await requireUser();
  const skeletons = await db().skeleton.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, createdAt: true },
  });
  return (
    <>
      <h1>Skeletons</h1>
      {skeletons.length === 0 ? (
        <EmptyState title="No skeletons yet">
          A skeleton describes a synthetic workflow: stages of tasks with their lengths, cores and file sizes (the AIMES
          skeleton format, or JSON/YAML). Upload one to preview its stages and tasks.
        </EmptyState>
      ) : (
        <ul>
          {skeletons.map((s) => (
            <li key={s.id}>{s.name}</li>
          ))}
        </ul>
      )}
    </>
  );
}
