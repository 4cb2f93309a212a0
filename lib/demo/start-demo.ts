import type { Db } from "../db/client";
import type { ResourceSnapshot } from "../model/resource";
import { DEMO_MACHINES, ensureDemoResources } from "./cluster-resources";
import { snapshotsFor } from "../db/plan-inputs";
import { ensureLocalResource } from "../db/resources";
import { createRun } from "../db/runs";
import { saveSkeleton } from "../db/skeletons";
import { planWorkload } from "../planner";
import { loadSkeletonText } from "../skeleton";
import { SC2014_SKELETON, SC2014_SKELETON_NAME } from "./sc2014";

/**
 * The SC2014 demo for one user: the demo skeleton (saved once), planned with the adaptive
 * strategy on the resources given (default: the user's `local`), launched. Returns the run id.
 */
/**
 * With the loopback cluster up, the original's five machines (aimes strategy: one pilot each,
 * exactly as in 2014); without it, the `local` resource, and the result says so.
 */
export async function startDemo(db: Db, userId: string, opts: { secret: string; strategy?: "aimes" | "adaptive"; now?: Date }): Promise<{ ok: true; runId: string; onCluster: boolean } | { ok: false; message: string }> {
  const now = opts.now ?? new Date();
  await ensureLocalResource(db, userId);
  const cluster = await ensureDemoResources(db, userId, opts.secret);
  let sk = await db.skeleton.findFirst({ where: { userId, name: SC2014_SKELETON_NAME, text: SC2014_SKELETON }, select: { id: true } });
  if (!sk) {
    const saved = await saveSkeleton(db, userId, SC2014_SKELETON_NAME, SC2014_SKELETON);
    if (!saved.ok) return { ok: false, message: saved.errors[0]?.message ?? "the demo skeleton does not parse" };
    sk = { id: saved.id };
  }
  const resources = cluster ?? (await db.resource.findMany({ where: { userId, kind: "local" }, select: { id: true } })).map((r) => r.id);
  let snapshots: ResourceSnapshot[];
  if (cluster) snapshots = cluster.map((id, i) => demoSnapshot(id, DEMO_MACHINES[i]!, now));
  else {
    const got = await snapshotsFor(db, userId, resources, now);
    if (got.missing.length) return { ok: false, message: got.missing.join("; ") };
    snapshots = got.snapshots;
  }
  const l = loadSkeletonText(SC2014_SKELETON, { fileName: SC2014_SKELETON_NAME });
  if (!l.ok) return { ok: false, message: "the demo skeleton does not parse" };
  const p = planWorkload(l.workload, snapshots, { strategy: opts.strategy ?? (cluster ? "aimes" : "adaptive"), now });
  if (!p.ok) return { ok: false, message: p.errors.map((e) => e.message).join("; ") };
  const rows = await db.resource.findMany({ where: { userId, id: { in: resources } }, select: { id: true, kind: true } });
  const run = await createRun(db, {
    userId, name: "SC2014 demo", skeletonId: sk.id, strategy: p.plan.strategy, seed: 0, maxRetries: 1, workload: l.workload, skeletonText: SC2014_SKELETON,
    plan: p.plan, resourceKinds: Object.fromEntries(rows.map((r) => [r.id, r.kind])), resourcesSnapshot: snapshots, now,
  });
  return { ok: true, runId: run.id, onCluster: cluster !== null };
}

/** What the planner is told about a demo machine: one 16-core node, its partition's limits. */
function demoSnapshot(resourceId: string, m: string, now: Date): ResourceSnapshot {
  const down = m === "gordon" || m === "blacklight";
  return {
    resourceId, label: m, batch: "slurm", host: "127.0.0.1", takenAt: now.toISOString(), source: "probe", nodes: 1, coresPerNode: 16,
    queues: [{ name: m, isDefault: true, enabled: !down, maxWalltimeSeconds: m === "hopper" ? 7200 : m === "trestles" ? 1800 : 3600, maxCoresPerJob: 16, maxQueuedJobs: null, nodesTotal: 1, nodesFree: 1, coresTotal: 16, coresFree: 16, jobsQueued: 0, jobsRunning: 0 }],
    waitHistory: [], bandwidthInMBps: null, bandwidthOutMBps: null,
  };
}
