import { notFound } from "next/navigation";
import { requireUser } from "@/app/_lib/session";
import { RunDashboard } from "@/components/run/run-dashboard";
import { db } from "@/lib/db/client";
import { readPrediction } from "@/lib/runs/prediction";
import { pilotLabel } from "@/lib/timeline/build";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const run = await db().run.findFirst({
    where: { id, userId: user.id },
    select: {
      id: true,
      name: true,
      strategy: true,
      createdAt: true,
      dir: true,
      prediction: true,
      pilots: {
        select: { id: true, label: true, queue: true, cores: true, kind: true, jobId: true },
        orderBy: { index: "asc" },
      },
    },
  });
  if (!run) notFound();
  return (
    <RunDashboard
      runId={run.id}
      name={run.name}
      strategy={run.strategy}
      createdAt={run.createdAt.toISOString()}
      dir={run.dir}
      prediction={readPrediction(run.prediction)}
      pilots={run.pilots.map((p) => ({ id: p.id, label: pilotLabel(p), jobId: p.jobId }))}
    />
  );
}
