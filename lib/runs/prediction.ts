import type { Db } from "../db/client";
import { localSnapshot } from "../db/plan-inputs";
import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import type { ExecutionStrategy } from "../planner";
import {
  predictCalibrated,
  PREDICTION_SEED,
  simulationsFor,
  unpredicted,
  ZPredictionRecord,
  type PredictionRecord,
} from "../sim/calibrated";
import { readCalibration } from "./calibration";

/**
 * The prediction kept with a run (issue 15): made at launch from the model calibrated on the
 * user's earlier runs (never this one: it has not run), stored in Run.prediction, read back
 * through its schema for the run page, run.json and the archive.
 */

/**
 * Launch runs on the request thread (which also runs the engine): at most about 200,000 simulated
 * tasks (~0.5 s under load); above this many tasks it does not wait for simulations, and the record says so.
 */
export const PREDICT_MAX_TASKS = 10_000;
const LAUNCH_TASK_BUDGET = 200_000;

export async function predictAtLaunch(
  db: Db,
  userId: string,
  w: Workload,
  plan: ExecutionStrategy,
  snapshots: readonly ResourceSnapshot[],
  now: Date,
): Promise<PredictionRecord> {
  if (w.tasks.length > PREDICT_MAX_TASKS) {
    return unpredicted(
      plan.strategy,
      now,
      `not predicted at launch: ${w.tasks.length.toLocaleString("en")} tasks, more than the ${PREDICT_MAX_TASKS.toLocaleString("en")} simulated while launching (the plan page simulates it on a worker)`,
    );
  }
  const cal = await readCalibration(db, userId, { before: now });
  // a plan made by hand without snapshots (tests, a frozen plan): `local` is still this machine, with no queue
  const missing = [...new Set(plan.pilots.map((p) => p.resourceId))].filter(
    (id) => !snapshots.some((s) => s.resourceId === id),
  );
  const locals = missing.length
    ? await db.resource.findMany({
        where: { userId, id: { in: missing }, kind: "local" },
        select: { id: true, label: true },
      })
    : [];
  const known = [...snapshots, ...locals.map((r) => localSnapshot(r.id, r.label, now))];
  return predictCalibrated(w, plan, known, cal, {
    runs: simulationsFor(w.tasks.length, 200, LAUNCH_TASK_BUDGET),
    seed: PREDICTION_SEED,
    now,
  });
}

export async function storePrediction(db: Db, runId: string, p: PredictionRecord): Promise<void> {
  await db.run.update({ where: { id: runId }, data: { prediction: JSON.stringify(p) } });
}

/** A stored prediction, or null (runs launched before predictions were kept, or one that does not read). */
export function readPrediction(json: string | null): PredictionRecord | null {
  if (!json) return null;
  const p = ZPredictionRecord.safeParse(JSON.parse(json));
  return p.success ? p.data : null;
}
