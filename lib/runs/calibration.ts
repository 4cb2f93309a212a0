import type { Db } from "../db/client";
import { readEvents } from "../db/events";
import { calibrate, type Calibration, type PastRun } from "../sim/calibrate";

/**
 * Reads the user's finished runs for the calibrated model (lib/sim/calibrate.ts): their events,
 * which resource each pilot ran on, and each task's length. The latest `maxRuns` that ended
 * DONE, never `exclude` (the run being predicted), and only runs small enough to read at once:
 * a planning request must not fold millions of events.
 */
export const CALIBRATION_RUNS = 20;
const MAX_EVENTS_PER_RUN = 200_000;
/** all runs together: the plan page reads them on the request thread */
const MAX_EVENTS = 400_000;

export async function readCalibration(db: Db, userId: string, o: { exclude?: string; maxRuns?: number; before?: Date } = {}): Promise<Calibration> {
  const runs = await db.run.findMany({
    where: { userId, state: "DONE", ...(o.exclude ? { id: { not: o.exclude } } : {}), ...(o.before ? { createdAt: { lt: o.before } } : {}) },
    orderBy: { createdAt: "desc" },
    take: o.maxRuns ?? CALIBRATION_RUNS,
    select: { id: true, pilots: { select: { id: true, resourceId: true } }, _count: { select: { events: true } } },
  });
  // the newest runs first within the event budget, then oldest first, so the newest samples are the ones kept
  let budget = MAX_EVENTS;
  const chosen = runs.filter((r) => {
    if (r._count.events > MAX_EVENTS_PER_RUN || r._count.events > budget) return false;
    budget -= r._count.events;
    return true;
  });
  const past: PastRun[] = [];
  for (const r of chosen.reverse()) {
    const tasks = await db.task.findMany({ where: { runId: r.id }, select: { taskId: true, length: true } });
    past.push({
      runId: r.id,
      events: await readEvents(db, r.id, 0, MAX_EVENTS_PER_RUN),
      pilotResource: Object.fromEntries(r.pilots.filter((p) => p.resourceId !== null).map((p) => [p.id, p.resourceId!])),
      taskLength: Object.fromEntries(tasks.map((t) => [t.taskId, t.length])),
    });
  }
  return calibrate(past, o.exclude);
}
