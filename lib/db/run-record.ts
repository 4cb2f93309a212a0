import { z } from "zod";
import type { RunEvent } from "../model/event";
import { ZExecutionStrategy, type ExecutionStrategy } from "../planner";
import type { Db } from "./client";
import { readEvents } from "./events";

/** A run with everything its downloads need (lib/archive/run-files.ts turns it into files). */
export interface RunRecord {
  id: string;
  name: string;
  state: string;
  stateReason: string | null;
  strategy: string;
  createdAt: Date;
  dir: string | null;
  plan: ExecutionStrategy;
  resources: unknown;
  skeletonText: string;
  events: RunEvent[];
  /** the prediction made at launch as stored (lib/sim/calibrated.ts reads it); null before issue 15 */
  prediction: unknown;
}

/** The part of the stored workload the record needs (lib/db/runs.ts writes the whole). */
const ZStoredWorkload = z.object({ skeletonText: z.string().optional() });

/**
 * A run with everything its downloads need, or null when it is not the user's. `events: false`
 * leaves the log out (empty) for a caller that reads it itself (lib/archive/run-source.ts).
 */
export async function loadRunRecord(
  db: Db,
  userId: string,
  runId: string,
  opts: { events?: boolean } = {},
): Promise<RunRecord | null> {
  const run = await db.run.findFirst({ where: { id: runId, userId } });
  if (!run) return null;
  const workload = ZStoredWorkload.parse(JSON.parse(run.workload));
  return {
    id: run.id,
    name: run.name,
    state: run.state,
    stateReason: run.stateReason,
    strategy: run.strategy,
    createdAt: run.createdAt,
    dir: run.dir,
    plan: ZExecutionStrategy.parse(JSON.parse(run.plan)),
    resources: JSON.parse(run.resources) as unknown,
    skeletonText: workload.skeletonText ?? "",
    events: opts.events === false ? [] : await readEvents(db, run.id, 0, 10_000_000),
    prediction: run.prediction ? (JSON.parse(run.prediction) as unknown) : null,
  };
}
