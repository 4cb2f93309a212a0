import type { RunView } from "./fold";

/**
 * The occupancy over time that the run page charts live: busy cores per pilot, tasks executing
 * and the wait-queue size, sampled every `step` seconds from the first event to `now`. Computed by
 * a difference array (one +1/−1 per interval, then a prefix sum), so a 10,000-task run costs one
 * pass over its spans plus the samples, whatever the run's length. A sample at time t counts the
 * intervals [from, to) that contain it, like timeseries.csv does at 1 s.
 */
export interface OccupancySeries {
  /** seconds between samples */
  step: number;
  pilotIds: string[];
  points: OccupancyPoint[];
}

export interface OccupancyPoint {
  /** seconds since the first event */
  t: number;
  waiting: number;
  executing: number;
  /** busy cores, in the order of `pilotIds` */
  busy: number[];
}

const NICE = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

export function sampleStep(spanSeconds: number, maxPoints: number): number {
  const raw = spanSeconds / Math.max(1, maxPoints - 1);
  return NICE.find((s) => s >= raw) ?? Math.ceil(raw / 3600) * 3600;
}

export function occupancySeries(
  view: RunView,
  opts: { now?: number; maxPoints?: number } = {},
): OccupancySeries {
  // Before the first event there is no time origin: measuring from 0 would span the whole epoch
  // (a freshly launched run showed "sampled every 9028800 s" and an axis to 1.8e9 s).
  if (view.t0 === null) return { step: 1, pilotIds: [...view.pilots.keys()], points: [] };
  const t0 = view.t0;
  const end = Math.max(opts.now ?? view.lastAt ?? t0, view.lastAt ?? t0);
  const step = sampleStep((end - t0) / 1000, opts.maxPoints ?? 240);
  const stepMs = step * 1000;
  const n = Math.floor((end - t0) / stepMs) + 1;
  const pilotIds = [...view.pilots.keys()];
  const index = new Map(pilotIds.map((id, i) => [id, i]));
  const waiting = new Float64Array(n + 1);
  const executing = new Float64Array(n + 1);
  const busy = pilotIds.map(() => new Float64Array(n + 1));
  const add = (arr: Float64Array, from: number, to: number, v: number) => {
    const a = Math.max(0, Math.ceil((from - t0) / stepMs));
    const b = Math.min(n, Math.ceil((to - t0) / stepMs));
    if (b <= a) return;
    arr[a] = arr[a]! + v;
    arr[b] = arr[b]! - v;
  };
  // what is still going at `end` (open intervals): the last point, so "now" is exact, not a sample before it
  const last: OccupancyPoint = {
    t: Math.round((end - t0) / 100) / 10,
    waiting: 0,
    executing: 0,
    busy: pilotIds.map(() => 0),
  };
  for (const t of view.tasks.values()) {
    for (const sp of t.spans) {
      if (sp.start === null) continue;
      if (sp.end === null) {
        last.executing += 1;
        const pi = index.get(sp.pilotId ?? "");
        if (pi !== undefined) last.busy[pi] = last.busy[pi]! + Math.max(1, sp.slots.length || t.cores);
      }
      add(executing, sp.start, sp.end ?? end, 1);
      const pi = index.get(sp.pilotId ?? "");
      if (pi !== undefined) add(busy[pi]!, sp.start, sp.end ?? end, Math.max(1, sp.slots.length || t.cores));
    }
    let since: number | null = null;
    for (const h of t.history) {
      if (h.state === "TMGR_SCHEDULING_PENDING") since ??= h.at;
      else if (since !== null) {
        add(waiting, since, h.at, 1);
        since = null;
      }
    }
    if (since !== null) {
      add(waiting, since, end + stepMs, 1);
      last.waiting += 1;
    }
  }
  const points: OccupancyPoint[] = [];
  let w = 0;
  let e = 0;
  const b = pilotIds.map(() => 0);
  for (let i = 0; i < n; i++) {
    w += waiting[i]!;
    e += executing[i]!;
    for (let p = 0; p < b.length; p++) b[p] = b[p]! + busy[p]![i]!;
    points.push({
      t: i * step,
      waiting: Math.round(w),
      executing: Math.round(e),
      busy: b.map((x) => Math.round(x)),
    });
  }
  if (last.t > (points[points.length - 1]?.t ?? -1)) points.push(last);
  return { step, pilotIds, points };
}
