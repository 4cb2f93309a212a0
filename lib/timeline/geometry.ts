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
  const t = m.t0 + timeAt(x, view, width) * 1000;
  const task = m.tasks.find(
    (k) =>
      k.pilotId === band.pilot.id &&
      lane >= k.lane &&
      lane < k.lane + k.width &&
      t >= k.start &&
      t <= (k.end ?? now),
  );
  return task ? { kind: "task", task } : { kind: "pilot", pilot: band.pilot };
}
