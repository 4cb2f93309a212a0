import type { Db } from "../db/client";
import type { ResourceSnapshot } from "../model/resource";
import { DEMO_MACHINES, ensureDemoResources } from "./cluster-resources";
import { ensureLocalResource } from "../db/resources";
import { launchRun } from "../runs/launch";
import { saveSkeleton } from "../runs/skeletons";
import { SC2014_SKELETON, SC2014_SKELETON_NAME } from "./sc2014";

/**
 * The SC2014 demo for one user: the demo skeleton (saved once), planned and launched (lib/runs).
 * With the loopback cluster up, on the original's five machines (aimes strategy: one pilot each,
 * exactly as in 2014); without it, on the `local` resource (adaptive), and the result says so.
 */
export async function startDemo(
  db: Db,
  userId: string,
  opts: { secret: string; strategy?: "aimes" | "adaptive"; now?: Date },
): Promise<{ ok: true; runId: string; onCluster: boolean } | { ok: false; message: string }> {
  const now = opts.now ?? new Date();
  await ensureLocalResource(db, userId);
  const cluster = await ensureDemoResources(db, userId, opts.secret);
  let sk = await db.skeleton.findFirst({
    where: { userId, name: SC2014_SKELETON_NAME, text: SC2014_SKELETON },
    select: { id: true },
  });
  if (!sk) {
    const saved = await saveSkeleton(db, userId, SC2014_SKELETON_NAME, SC2014_SKELETON);
    if (!saved.ok)
      return { ok: false, message: saved.errors[0]?.message ?? "the demo skeleton does not parse" };
    sk = { id: saved.id };
  }
  const resources =
    cluster ??
    (await db.resource.findMany({ where: { userId, kind: "local" }, select: { id: true } })).map((r) => r.id);
  // the demo's machines are described, not probed: their snapshots go in as the plan's inputs
  const snapshots = cluster ? cluster.map((id, i) => demoSnapshot(id, DEMO_MACHINES[i]!, now)) : undefined;
  const r = await launchRun(db, {
    userId,
    name: "SC2014 demo",
    skeleton: { id: sk.id },
    seed: 0,
    maxRetries: 1,
    plan: { strategy: opts.strategy ?? (cluster ? "aimes" : "adaptive"), resourceIds: resources },
    snapshots,
    now,
  });
  if (!r.ok) return { ok: false, message: r.message };
  return { ok: true, runId: r.runId, onCluster: cluster !== null };
}

/** What the planner is told about a demo machine: one 16-core node, its partition's limits. */
function demoSnapshot(resourceId: string, m: string, now: Date): ResourceSnapshot {
  const down = m === "gordon" || m === "blacklight";
  return {
    resourceId,
    label: m,
    batch: "slurm",
    host: "127.0.0.1",
    takenAt: now.toISOString(),
    source: "probe",
    nodes: 1,
    coresPerNode: 16,
    queues: [
      {
        name: m,
        isDefault: true,
        enabled: !down,
        maxWalltimeSeconds: m === "hopper" ? 7200 : m === "trestles" ? 1800 : 3600,
        maxCoresPerJob: 16,
        maxQueuedJobs: null,
        nodesTotal: 1,
        nodesFree: 1,
        coresTotal: 16,
        coresFree: 16,
        jobsQueued: 0,
        jobsRunning: 0,
      },
    ],
    waitHistory: [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
  };
}
