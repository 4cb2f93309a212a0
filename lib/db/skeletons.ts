import type { SkeletonFormat, WorkloadMetrics } from "../skeleton";
import type { Db } from "./client";
import { DEFAULT_TASK_LIMIT } from "./task-limits";

/** Largest skeleton file accepted (the text; expansion has its own task limit). */
export const MAX_SKELETON_BYTES = 1 << 20;

export interface SkeletonSummary {
  format: "aimes" | "structured";
  metrics: WorkloadMetrics;
  warnings: string[];
}

/** The most tasks one skeleton of this user may expand to: their own limit, set by an administrator, or the default. */
export async function taskLimitOf(db: Db, userId: string): Promise<number> {
  const u = await db.user.findUnique({ where: { id: userId }, select: { taskLimit: true } });
  return u?.taskLimit ?? DEFAULT_TASK_LIMIT;
}

/** Stores a skeleton that lib/runs/skeletons.ts has validated. */
export async function insertSkeleton(
  db: Db,
  s: { userId: string; name: string; text: string; format: SkeletonFormat; summary: SkeletonSummary },
): Promise<{ id: string }> {
  return db.skeleton.create({
    data: {
      userId: s.userId,
      name: s.name,
      text: s.text,
      format: s.format,
      summary: JSON.stringify(s.summary),
    },
    select: { id: true },
  });
}
