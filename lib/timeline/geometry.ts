import type { GanttModel, GanttPilot, GanttTask } from "./model";

/**
 * Pure layout of the timeline: which pixel row each pilot header and lane gets, the time
 * scale, and hit testing for tooltips. Kept free of React and canvas so it can be tested.
 */
export const PILOT_ROW = 22;
export const LANE = 7;
export const GAP = 8;
export const LABEL_W = 190;
export const AXIS_H = 24;

export interface PilotBand {
  pilot: GanttPilot;
  y: number;
  lanes: number;
  /** pixel height of one lane: taller for small pilots so every bar stays easy to hover */
  lane: number;
  height: number;
}

export function laneHeight(lanes: number): number {
  return lanes <= 4 ? 14 : lanes <= 16 ? 10 : LANE;
}

export function layoutBands(m: GanttModel, maxLanesPerPilot = 64): PilotBand[] {
  let y = AXIS_H;
  return m.pilots.map((p) => {
    // a pilot that never became active holds no task lanes: one thin placeholder lane
    const lanes = p.neverActive ? 1 : Math.max(1, Math.min(p.cores, maxLanesPerPilot));
    const lane = laneHeight(lanes);
    const band = { pilot: p, y, lanes, lane, height: PILOT_ROW + lanes * lane };
    y += band.height + GAP;
    return band;
  });
}

export function totalHeight(bands: readonly PilotBand[]): number {
  const last = bands[bands.length - 1];
  return last ? last.y + last.height + GAP : AXIS_H + PILOT_ROW;
}

/** Visible window in seconds since t0. */
export interface View {
  from: number;
  to: number;
}

export function xOf(t: number, t0: number, view: View, width: number): number {
  const s = (t - t0) / 1000;
  return LABEL_W + ((s - view.from) / (view.to - view.from)) * (width - LABEL_W);
}

export function timeAt(x: number, view: View, width: number): number {
  return view.from + ((x - LABEL_W) / (width - LABEL_W)) * (view.to - view.from);
}

/** Zooms around the time under `x` by `factor` (<1 zooms in), keeping at least 1 s visible. */
export function zoom(view: View, factor: number, x: number, width: number, bounds: View): View {
  const at = Math.min(Math.max(timeAt(x, view, width), view.from), view.to);
  const span = Math.min(Math.max((view.to - view.from) * factor, 1), bounds.to - bounds.from);
  const from = Math.max(bounds.from, at - (at - view.from) * (span / (view.to - view.from)));
  const to = Math.min(bounds.to, from + span);
  return { from: to - span < bounds.from ? bounds.from : to - span, to };
}

export function pan(view: View, seconds: number, bounds: View): View {
  const span = view.to - view.from;
  const from = Math.min(Math.max(view.from + seconds, bounds.from), bounds.to - span);
  return { from, to: from + span };
}

/** Nice tick step (1, 2, 5 × 10^k seconds) for about `target` ticks. */
export function tickStep(span: number, target = 8): number {
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}

export type Hit = { kind: "task"; task: GanttTask } | { kind: "pilot"; pilot: GanttPilot } | null;

export function hitTest(
  x: number,
  y: number,
  m: GanttModel,
  bands: readonly PilotBand[],
  view: View,
  width: number,
  now: number,
): Hit {
  const band = bands.find((b) => y >= b.y && y < b.y + b.height);
  if (!band) return null;
  if (y < band.y + PILOT_ROW || x < LABEL_W) return { kind: "pilot", pilot: band.pilot };
  const lane = Math.floor((y - band.y - PILOT_ROW) / band.lane);
  const task = taskAt(m, band.pilot.id, lane, m.t0 + timeAt(x, view, width) * 1000, now);
  return task ? { kind: "task", task } : { kind: "pilot", pilot: band.pilot };
}

/**
 * The tasks of a model arranged for hit testing: per pilot and core lane, the one-lane tasks in
 * order of start (a lane runs one task at a time, so the task under a time is found by binary
 * search), and per pilot the wider tasks, which are few. A 100,000-task run is searched on every
 * pointer move; a scan of every task took milliseconds each time. Built once per task list.
 */
interface HitIndex {
  lanes: Map<string, { task: GanttTask; order: number }[]>;
  wide: Map<string, { task: GanttTask; order: number }[]>;
}

const indexes = new WeakMap<readonly GanttTask[], HitIndex>();

function hitIndex(tasks: readonly GanttTask[]): HitIndex {
  let ix = indexes.get(tasks);
  if (ix) return ix;
  ix = { lanes: new Map(), wide: new Map() };
  for (let order = 0; order < tasks.length; order++) {
    const task = tasks[order]!;
    const key = task.width === 1 ? `${task.pilotId}\u0000${task.lane}` : task.pilotId;
    const into = task.width === 1 ? ix.lanes : ix.wide;
    let list = into.get(key);
    if (!list) into.set(key, (list = []));
    list.push({ task, order });
  }
  for (const list of ix.lanes.values()) list.sort((a, b) => a.task.start - b.task.start || a.order - b.order);
  indexes.set(tasks, ix);
  return ix;
}

/** How far back from the last task started by `t` a lane is searched: overlaps come only from retried attempts. */
const LOOK_BACK = 16;

/** The first task (in the model's order) on `pilotId`'s `lane` whose bar holds time `t`. */
function taskAt(m: GanttModel, pilotId: string, lane: number, t: number, now: number): GanttTask | null {
  const ix = hitIndex(m.tasks);
  const holds = (k: GanttTask) =>
    lane >= k.lane && lane < k.lane + k.width && t >= k.start && t <= (k.end ?? now);
  let best: { task: GanttTask; order: number } | null = null;
  for (const c of ix.wide.get(pilotId) ?? []) if (holds(c.task) && (!best || c.order < best.order)) best = c;
  const list = ix.lanes.get(`${pilotId}\u0000${lane}`) ?? [];
  // the last task that started by t
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.task.start <= t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && i >= lo - LOOK_BACK; i--) {
    const c = list[i]!;
    if (holds(c.task) && (!best || c.order < best.order)) best = c;
  }
  return best?.task ?? null;
}
