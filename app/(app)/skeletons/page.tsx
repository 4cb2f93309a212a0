import Link from "next/link";
import { requireUser } from "@/app/_lib/session";
import { DemoButton } from "@/components/demo-button";
import { clusterInfo, DEMO_MACHINES } from "@/lib/demo/cluster-resources";
import { EmptyState } from "@/components/empty-state";
import { SkeletonUpload } from "@/components/skeleton-upload";
import { db } from "@/lib/db/client";
import type { SkeletonSummary } from "@/lib/db/skeletons";

export default async function SkeletonsPage() {
  const user = await requireUser();
  const skeletons = await db().skeleton.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, createdAt: true, summary: true },
  });
  return (
    <>
      <div className="spread">
        <h1>Skeletons</h1>
        <DemoButton machines={clusterInfo() ? DEMO_MACHINES : []} />
      </div>
      {skeletons.length === 0 ? (
        <EmptyState title="No skeletons yet">
          A skeleton describes a synthetic workflow: stages of tasks with their lengths, cores and file sizes
          (the AIMES skeleton format, or JSON/YAML). Upload one below to preview its stages and tasks, or try
          the SC2014 demo.
        </EmptyState>
      ) : (
        <table className="data collapse" style={{ marginBottom: "1rem" }}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Stages</th>
              <th>Tasks</th>
              <th>Uploaded</th>
            </tr>
          </thead>
          <tbody>
            {skeletons.map((s) => {
              const m = (JSON.parse(s.summary) as Partial<SkeletonSummary>).metrics;
              return (
                <tr key={s.id}>
                  <td>
                    <Link href={`/skeletons/${s.id}`}>{s.name}</Link>
                  </td>
                  <td data-label="Stages">{m?.stages.length ?? "?"}</td>
                  <td data-label="Tasks">{m?.tasks ?? "?"}</td>
                  <td data-label="Uploaded">{s.createdAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>Upload a skeleton</h2>
      <SkeletonUpload />
    </>
  );
}
