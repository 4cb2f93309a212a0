import os from "node:os";
import { ZResourceSnapshot } from "../bundle/load";
import type { ResourceSnapshot } from "../model/resource";
import type { Db } from "./client";

/** What the planner knows about the `local` resource: this machine, one node, all its cores. */
export function localSnapshot(
  resourceId: string,
  label: string,
  now: Date,
  cpus = os.cpus().length,
): ResourceSnapshot {
  return {
    resourceId,
    label,
    batch: "local",
    host: os.hostname(),
    takenAt: now.toISOString(),
    source: "local",
    nodes: 1,
    coresPerNode: cpus,
    queues: [
      {
        name: "local",
        isDefault: true,
        enabled: true,
        maxWalltimeSeconds: null,
        maxCoresPerJob: cpus,
        maxQueuedJobs: null,
        nodesTotal: 1,
        nodesFree: 1,
        coresTotal: cpus,
        coresFree: cpus,
        jobsQueued: 0,
        jobsRunning: 0,
      },
    ],
    waitHistory: [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
  };
}

/**
 * Snapshots of the user's chosen resources for planning: `local` is read from this machine;
 * the others from their latest successful probe. A resource never probed is reported, not guessed.
 */
export async function snapshotsFor(
  db: Db,
  userId: string,
  resourceIds: string[],
  now: Date,
): Promise<{ snapshots: ResourceSnapshot[]; missing: string[] }> {
  const rows = await db.resource.findMany({
    where: { userId, id: { in: resourceIds } },
    select: { id: true, label: true, kind: true },
  });
  const snapshots: ResourceSnapshot[] = [];
  const missing: string[] = [];
  for (const id of resourceIds) {
    const r = rows.find((x) => x.id === id);
    if (!r) {
      missing.push(`${id}: not one of your resources`);
      continue;
    }
    if (r.kind === "local") {
      snapshots.push(localSnapshot(r.id, r.label, now));
      continue;
    }
    const snap = await db.resourceSnapshot.findFirst({
      where: { resourceId: r.id, ok: true },
      orderBy: { takenAt: "desc" },
      select: { data: true },
    });
    if (!snap?.data) {
      missing.push(`${r.label}: never probed; use "Test connection" on the Resources page first`);
      continue;
    }
    // the stored snapshot through its schema: one that does not read is reported like a missing one
    const parsed = ZResourceSnapshot.safeParse(JSON.parse(snap.data));
    if (parsed.success) snapshots.push({ ...parsed.data, resourceId: r.id, label: r.label });
    else
      missing.push(
        `${r.label}: its last probe does not read (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}); use "Test connection" on the Resources page again`,
      );
  }
  return { snapshots, missing };
}
