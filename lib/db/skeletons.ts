import { DEFAULT_TASK_LIMIT, skeletonJob, type SkeletonInfo, type SkeletonJobResult, type TWorkJob } from "../work/jobs";
import type { SkeletonError, WorkloadMetrics } from "../skeleton";
import type { Db } from "./client";

/** Largest skeleton file accepted (the text; expansion has its own task limit). */
export const MAX_SKELETON_BYTES = 1 << 20;

export interface SkeletonSummary {
  format: "aimes" | "structured";
  metrics: WorkloadMetrics;
  warnings: string[];
}

export type SaveSkeletonResult = { ok: true; id: string; summary: SkeletonSummary; info: SkeletonInfo } | { ok: false; errors: SkeletonError[] };

export interface SaveOptions {
  /** where the expansion runs: the web server passes its worker pool; inline (the CLI, the demo) by default */
  run?: (job: Extract<TWorkJob, { kind: "skeleton" }>) => Promise<SkeletonJobResult>;
}

/** The most tasks one skeleton of this user may expand to: their own limit, set by an administrator, or the default. */
export async function taskLimitOf(db: Db, userId: string): Promise<number> {
  const u = await db.user.findUnique({ where: { id: userId }, select: { taskLimit: true } });
  return u?.taskLimit ?? DEFAULT_TASK_LIMIT;
}

/**
 * Validates and stores a skeleton for a user; nothing is stored when it has errors, or when it
 * expands to more tasks than the user's limit (checked from the stage definitions, before expanding).
 */
export async function saveSkeleton(db: Db, userId: string, name: string, text: string, opts: SaveOptions = {}): Promise<SaveSkeletonResult> {
  if (Buffer.byteLength(text, "utf8") > MAX_SKELETON_BYTES) return { ok: false, errors: [{ line: 1, column: 1, message: `the file is larger than ${MAX_SKELETON_BYTES / 1024} KiB` }] };
  const job = { kind: "skeleton" as const, key: null, text, fileName: name, seed: 0, taskLimit: await taskLimitOf(db, userId) };
  const r = opts.run ? await opts.run(job) : skeletonJob(job);
  if (!r.ok) return { ok: false, errors: r.errors };
  const summary: SkeletonSummary = { format: r.info.format, metrics: r.info.metrics, warnings: r.info.warnings };
  const row = await db.skeleton.create({ data: { userId, name, text, format: r.info.format, summary: JSON.stringify(summary) }, select: { id: true } });
  return { ok: true, id: row.id, summary, info: r.info };
}
