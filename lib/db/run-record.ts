import type { RunRecord } from "../archive/run-files";
import type { ExecutionStrategy } from "../planner";
import type { Db } from "./client";
import { readEvents } from "./events";

/** A run with everything its downloads need, or null when it is not the user's. */
export async function loadRunRecord(db: Db, userId: string, runId: string): Promise<RunRecord | null> {
  const run = await db.run.findFirst({ where: { id: runId, userId } });
  if (!run) return null;
  const workload = JSON.parse(run.workload) as { skeletonText?: string };
  return {
    id: run.id, name: run.name, state: run.state, stateReason: run.stateReason, strategy: run.strategy, createdAt: run.createdAt, dir: run.dir,
    plan: JSON.parse(run.plan) as ExecutionStrategy, resources: JSON.parse(run.resources) as unknown, skeletonText: workload.skeletonText ?? "", events: await readEvents(db, run.id, 0, 10_000_000),
  };
}
