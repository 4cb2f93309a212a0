import type { PilotRate } from "./runtime";

/**
 * Prefetch from what each agent has shown it can do. The static prefetch (decide.ts
 * prefetchFor) guesses from the tasks' declared lengths and is capped at 32 × cores, so a pilot
 * whose agent finishes short tasks faster than one tick's worth sat idle between ticks (a
 * 2-core pilot got 66 tasks per 0.5 s tick: 85 tasks/s end to end, whatever the agent could
 * do). Here a pilot may hold what its agent finished in the last `HORIZON_TICKS` ticks. The
 * rate it shows is limited by what it was given, so the window grows by that factor per tick
 * until the agent, not the engine, is the limit (like a TCP window opening); long tasks give a
 * low rate and keep the prefetch small, so pilots that start later still find work.
 */
export const HORIZON_TICKS = 4;
/** At most this many tasks queued in one agent beyond its cores, however fast it is. */
export const MAX_PREFETCH = 20_000;
/** How much of the newest reading the smoothed rate takes. */
const WEIGHT = 0.5;

/** Counts `finished` tasks reported by a pilot's agent at `nowMs` (one read of its events). */
export function noteFinished(
  rates: Map<string, PilotRate>,
  pilotId: string,
  finished: number,
  nowMs: number,
): void {
  const r = rates.get(pilotId);
  if (!r) {
    // no interval to divide by yet: the first reading only starts the clock
    rates.set(pilotId, { perS: 0, at: nowMs });
    return;
  }
  if (finished === 0) return;
  const dt = Math.max(nowMs - r.at, 20) / 1000;
  const inst = finished / dt;
  rates.set(pilotId, { perS: r.perS === 0 ? inst : WEIGHT * inst + (1 - WEIGHT) * r.perS, at: nowMs });
}

/** Each pilot's prefetch from its measured rate, for decide.ts capacities. */
export function measuredPrefetch(rates: ReadonlyMap<string, PilotRate>, tickS: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, r] of rates)
    out.set(id, Math.min(MAX_PREFETCH, Math.ceil(r.perS * HORIZON_TICKS * Math.max(tickS, 0.05))));
  return out;
}
