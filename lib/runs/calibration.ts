import type { Db } from "../db/client";
import { readEvents } from "../db/events";
import type { RunEvent } from "../model/event";
import { calibrate, type Calibration, type PastRun } from "../sim/calibrate";

/**
 * Reads the user's finished runs for the calibrated model (lib/sim/calibrate.ts): their events,
 * which resource each pilot ran on, and each task's length. The latest runs that ended DONE,
 * never `exclude` (the run being predicted). The plan page reads them on the request thread, so
 * the events are bounded: every run gives its pilots' events (the queue waits, a few rows each);
 * the newest `fullRuns` within an event budget give all their events (start-up, hand-over,
 * collection, overrun).
 */
export const CALIBRATION_RUNS = 200;
const FULL_RUNS = 20;
/** task events over all fully read runs */
const MAX_EVENTS = 150_000;

const ev = (r: {
  id: number;
  runId: string;
  entity: string;
  entityId: string;
  from: string | null;
  to: string;
  at: Date;
  reason: string | null;
  data: string | null;
}): RunEvent => ({
  seq: r.id,
  runId: r.runId,
  entity: r.entity as RunEvent["entity"],
  entityId: r.entityId,
  from: r.from,
  to: r.to,
  at: r.at.getTime(),
  reason: r.reason,
  data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
});

export async function readCalibration(
  db: Db,
  userId: string,
  o: { exclude?: string; maxRuns?: number; before?: Date; fullRuns?: number } = {},
): Promise<Calibration> {
  const runs = await db.run.findMany({
    where: {
      userId,
      state: "DONE",
      ...(o.exclude ? { id: { not: o.exclude } } : {}),
      ...(o.before ? { createdAt: { lt: o.before } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: o.maxRuns ?? CALIBRATION_RUNS,
    select: {
      id: true,
      pilots: { select: { id: true, resourceId: true } },
      _count: { select: { events: true } },
    },
  });
  let budget = MAX_EVENTS;
  const full = new Set(
    runs
      .slice(0, o.fullRuns ?? FULL_RUNS)
      .filter((r) => {
        if (r._count.events > budget) return false;
        budget -= r._count.events;
        return true;
      })
      .map((r) => r.id),
  );
  const past: PastRun[] = [];
  // oldest first, so the newest samples are the ones kept when a queue has many
  for (const r of runs.reverse()) {
    const pilotResource = Object.fromEntries(
      r.pilots.filter((p) => p.resourceId !== null).map((p) => [p.id, p.resourceId!]),
    );
    if (!full.has(r.id)) {
      // the run's own first event gives its start; its pilots' events give their waits
      const rows = await db.event.findMany({
        where: { runId: r.id, entity: { in: ["run", "pilot"] } },
        orderBy: { id: "asc" },
        take: 10_000,
      });
      past.push({ runId: r.id, events: rows.map(ev), pilotResource, taskLength: {} });
      continue;
    }
    const tasks = await db.task.findMany({ where: { runId: r.id }, select: { taskId: true, length: true } });
    past.push({
      runId: r.id,
      events: await readEvents(db, r.id, 0, MAX_EVENTS),
      pilotResource,
      taskLength: Object.fromEntries(tasks.map((t) => [t.taskId, t.length])),
    });
  }
  return calibrate(past, o.exclude);
}
