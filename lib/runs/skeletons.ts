import type { Db } from "../db/client";
import { insertSkeleton, MAX_SKELETON_BYTES, taskLimitOf, type SkeletonSummary } from "../db/skeletons";
import type { SkeletonError } from "../skeleton";
import { skeletonJob, type SkeletonInfo, type SkeletonJobResult, type TWorkJob } from "../work/jobs";

export type SaveSkeletonResult =
  | { ok: true; id: string; summary: SkeletonSummary; info: SkeletonInfo }
  | { ok: false; errors: SkeletonError[] };

export interface SaveOptions {
  /** where the expansion runs: the web server passes its worker pool; inline (the CLI, the demo) by default */
  run?: (job: Extract<TWorkJob, { kind: "skeleton" }>) => Promise<SkeletonJobResult>;
}

/**
 * Validates and stores a skeleton for a user; nothing is stored when it has errors, or when it
 * expands to more tasks than the user's limit (checked from the stage definitions, before expanding).
 */
export async function saveSkeleton(
  db: Db,
  userId: string,
  name: string,
  text: string,
  opts: SaveOptions = {},
): Promise<SaveSkeletonResult> {
  if (Buffer.byteLength(text, "utf8") > MAX_SKELETON_BYTES)
    return {
      ok: false,
      errors: [{ line: 1, column: 1, message: `the file is larger than ${MAX_SKELETON_BYTES / 1024} KiB` }],
    };
  const job = {
    kind: "skeleton" as const,
    key: null,
    text,
    fileName: name,
    seed: 0,
    taskLimit: await taskLimitOf(db, userId),
  };
  const r = opts.run ? await opts.run(job) : skeletonJob(job);
  if (!r.ok) return { ok: false, errors: r.errors };
  const summary: SkeletonSummary = {
    format: r.info.format,
    metrics: r.info.metrics,
    warnings: r.info.warnings,
  };
  const row = await insertSkeleton(db, { userId, name, text, format: r.info.format, summary });
  return { ok: true, id: row.id, summary, info: r.info };
}
