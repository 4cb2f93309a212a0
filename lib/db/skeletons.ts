import { loadSkeletonText, workloadMetrics, type WorkloadMetrics } from "../skeleton";
import type { SkeletonError } from "../skeleton";
import type { Db } from "./client";

/** Largest skeleton file accepted (the text; expansion has its own task limit). */
export const MAX_SKELETON_BYTES = 1 << 20;

export interface SkeletonSummary {
  format: "aimes" | "structured";
  metrics: WorkloadMetrics;
  warnings: string[];
}

export type SaveSkeletonResult = { ok: true; id: string; summary: SkeletonSummary } | { ok: false; errors: SkeletonError[] };

/** Validates and stores a skeleton for a user; nothing is stored when it has errors. */
export async function saveSkeleton(db: Db, userId: string, name: string, text: string): Promise<SaveSkeletonResult> {
  if (Buffer.byteLength(text, "utf8") > MAX_SKELETON_BYTES) return { ok: false, errors: [{ line: 1, column: 1, message: `the file is larger than ${MAX_SKELETON_BYTES / 1024} KiB` }] };
  const r = loadSkeletonText(text, { fileName: name });
  if (!r.ok) return { ok: false, errors: r.errors };
  const summary: SkeletonSummary = { format: r.format, metrics: workloadMetrics(r.workload), warnings: r.workload.warnings.map((w) => w.message) };
  const row = await db.skeleton.create({ data: { userId, name, text, format: r.format, summary: JSON.stringify(summary) }, select: { id: true } });
  return { ok: true, id: row.id, summary };
}
