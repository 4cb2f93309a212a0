import Link from "next/link";
import { requireUser } from "@/app/_lib/session";
import { DemoButton } from "@/components/demo-button";
import { clusterInfo, DEMO_MACHINES } from "@/lib/demo/cluster-resources";
import { EmptyState } from "@/components/empty-state";
import { db } from "@/lib/db/client";

export default async function RunsPage() {
  const user = await requireUser();
  const runs = await db().run.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, state: true, strategy: true, createdAt: true },
  });
  return (
    <>
      <div className="spread">
        <h1>Runs</h1>
        <DemoButton machines={clusterInfo() ? DEMO_MACHINES : []} />
      </div>
      {runs.length === 0 ? (
        <EmptyState
          title="No runs yet"
          action={
            <Link className="btn primary" href="/skeletons">
              Upload a skeleton
            </Link>
          }
        >
          A run executes a skeleton&apos;s tasks on pilot jobs. Upload or pick a skeleton, choose resources (the{" "}
          <code>local</code> resource works out of the box), review the plan and launch.
        </EmptyState>
      ) : (
        <table className="data collapse" data-testid="runs-list">
          <thead>
            <tr>
              <th>Run</th>
              <th>State</th>
              <th>Strategy</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`/runs/${r.id}`}>{r.name}</Link>
                </td>
                <td data-label="State">
                  <span className={`badge ${r.state}`}>{r.state}</span>
                </td>
                <td data-label="Strategy">{r.strategy}</td>
                <td data-label="Created">{r.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
