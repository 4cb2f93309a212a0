import type { Db } from "../db/client";
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
export async function startDemo(db: Db, userId: string, opts: { resourceIds?: string[]; strategy?: "aimes" | "adaptive"; now?: Date } = {}): Promise<{ ok: true; runId: string } | { ok: false; message: string }> {
  const now = opts.now ?? new Date();
  await ensureLocalResource(db, userId);
  let sk = await db.skeleton.findFirst({ where: { userId, name: SC2014_SKELETON_NAME, text: SC2014_SKELETON }, select: { id: true } });
  if (!sk) {
    const saved = await saveSkeleton(db, userId, SC2014_SKELETON_NAME, SC2014_SKELETON);
    if (!saved.ok) return { ok: false, message: saved.errors[0]?.message ?? "the demo skeleton does not parse" };
    sk = { id: saved.id };
  }
  const resources = opts.resourceIds ?? (await db.resource.findMany({ where: { userId, kind: "local" }, select: { id: true } })).map((r) => r.id);
  const { snapshots, missing } = await snapshotsFor(db, userId, resources, now);
  if (missing.length) return { ok: false, message: missing.join("; ") };
  const l = loadSkeletonText(SC2014_SKELETON, { fileName: SC2014_SKELETON_NAME });
  if (!l.ok) return { ok: false, message: "the demo skeleton does not parse" };
  const p = planWorkload(l.workload, snapshots, { strategy: opts.strategy ?? "adaptive", now });
  if (!p.ok) return { ok: false, message: p.errors.map((e) => e.message).join("; ") };
  const rows = await db.resource.findMany({ where: { userId, id: { in: resources } }, select: { id: true, kind: true } });
  const run = await createRun(db, {
    userId, name: "SC2014 demo", skeletonId: sk.id, strategy: p.plan.strategy, seed: 0, maxRetries: 1, workload: l.workload, skeletonText: SC2014_SKELETON,
    plan: p.plan, resourceKinds: Object.fromEntries(rows.map((r) => [r.id, r.kind])), resourcesSnapshot: snapshots, now,
  });
  return { ok: true, runId: run.id };
}
