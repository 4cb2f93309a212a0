import { rm } from "node:fs/promises";
import { DownloadStore } from "../archive/download-store";
import path from "node:path";
import type { Db } from "../db/client";

/** States a run never leaves (lib/states/run.ts): only such a run may be deleted. */
const FINAL = ["DONE", "FAILED", "CANCELED"];

export type DeleteResult =
  | { ok: true; name: string; dirRemoved: string | null }
  | { ok: false; code: "NOT_FOUND" | "IN_USE"; message: string };

/** Whether `dir` lies inside `root`: a run directory is removed only from the data directory's runs folder. */
export function isInside(root: string, dir: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(dir));
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/**
 * Deletes one of the user's runs with its pilots, tasks and events, then its directory on the
 * server (which holds the archive the command line wrote). Refused while the run is live, and
 * while the engine is still wrapping a finished run up (its batch jobs confirmed gone, its
 * notification sent: the lease is still set): deleting it then would leave jobs behind.
 * The delete is one conditional statement, so a run cannot become live between check and delete.
 */
export async function deleteRun(
  db: Db,
  userId: string,
  runId: string,
  opts: { runsRoot: string; downloadsRoot?: string },
): Promise<DeleteResult> {
  const run = await db.run.findFirst({
    where: { id: runId, userId },
    select: { name: true, state: true, dir: true, leaseUntil: true },
  });
  if (!run) return { ok: false, code: "NOT_FOUND", message: "No such run in your account." };
  if (!FINAL.includes(run.state))
    return {
      ok: false,
      code: "IN_USE",
      message: `${run.name} is ${run.state}: cancel it (or wait until it ends) before deleting it.`,
    };
  const gone = await db.run.deleteMany({
    where: { id: runId, userId, state: { in: FINAL }, leaseUntil: null },
  });
  if (gone.count === 0)
    return {
      ok: false,
      code: "IN_USE",
      message: `${run.name} has ended but is still being wrapped up (its batch jobs cancelled, its notification sent); try again in a minute.`,
    };
  let dirRemoved: string | null = null;
  if (run.dir && isInside(opts.runsRoot, run.dir)) {
    await rm(run.dir, { recursive: true, force: true });
    dirRemoved = run.dir;
  }
  // its statistics and archive parts, kept since it ended
  if (opts.downloadsRoot) await new DownloadStore(opts.downloadsRoot).remove(runId);
  return { ok: true, name: run.name, dirRemoved };
}

/**
 * Deletes one of the user's skeletons; refused, naming the runs, while a run that is not over
 * uses it. Finished runs keep their own copy of the skeleton (Run.workload), so they stay.
 */
export async function deleteSkeleton(db: Db, userId: string, skeletonId: string): Promise<DeleteResult> {
  const sk = await db.skeleton.findFirst({ where: { id: skeletonId, userId }, select: { name: true } });
  if (!sk) return { ok: false, code: "NOT_FOUND", message: "No such skeleton in your account." };
  const live = await db.run.findMany({
    where: { skeletonId, state: { notIn: FINAL } },
    select: { name: true, state: true },
    take: 3,
  });
  const refuse = (runs: { name: string; state: string }[]): DeleteResult => ({
    ok: false,
    code: "IN_USE",
    message: `${sk.name} is used by ${runs.map((r) => `${r.name} (${r.state})`).join(", ")}: cancel ${runs.length === 1 ? "that run" : "those runs"} or wait until ${runs.length === 1 ? "it ends" : "they end"} before deleting it.`,
  });
  if (live.length) return refuse(live);
  // the condition is in the delete itself: a launch between the check and here keeps the skeleton
  const gone = await db.skeleton.deleteMany({
    where: { id: skeletonId, userId, runs: { none: { state: { notIn: FINAL } } } },
  });
  if (gone.count === 0)
    return refuse(
      await db.run.findMany({
        where: { skeletonId, state: { notIn: FINAL } },
        select: { name: true, state: true },
        take: 3,
      }),
    );
  return { ok: true, name: sk.name, dirRemoved: null };
}
