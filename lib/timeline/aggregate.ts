import { xOf, type View } from "./geometry";
import type { GanttModel, GanttTask } from "./model";

/**
 * What the timeline draws for its task bars at a given zoom: each bar as it is where it is at
 * least MIN_PX wide, and where bars are narrower (100,000 sub-second tasks over a run of minutes),
 * the consecutive bars of one lane that meet within a pixel merged into one run. Every task is
 * counted in exactly one run, a run is drawn over exactly the time its tasks cover (from the first
 * start to the last end), and its `busy` share says how much of that time they filled (the canvas
 * draws it as opacity), so the picture stays honest: nothing is dropped and no idle time is
 * painted as work. Zoomed in far enough, every run is one task at its exact position.
 */
export const MIN_PX = 2;

export interface BarRun {
  pilotId: string;
  lane: number;
  /** lanes (cores) the run's tasks span */
  width: number;
  x0: number;
  x1: number;
  /** index into model.tasks of the run's first task */
  first: number;
  count: number;
  /** share of [x0, x1] its tasks filled, 0..1 */
  busy: number;
  /** the colour key most of its tasks have (stage or state, as asked) */
  key: string;
  /** some task in it FAILED or is a retry: drawn outlined */
  flagged: boolean;
}

/** Task indices per pilot and lane, each lane in start order: computed once per model. */
export interface LaneIndex {
  lanes: { pilotId: string; lane: number; tasks: number[] }[];
}

export function laneIndex(m: GanttModel): LaneIndex {
  const byKey = new Map<string, Map<number, number[]>>();
  m.tasks.forEach((t, i) => {
    let pilot = byKey.get(t.pilotId);
    if (!pilot) byKey.set(t.pilotId, (pilot = new Map()));
    let lane = pilot.get(t.lane);
    if (!lane) pilot.set(t.lane, (lane = []));
    lane.push(i);
  });
  const lanes: LaneIndex["lanes"] = [];
  for (const [pilotId, pilot] of byKey)
    for (const [lane, tasks] of pilot) {
      // folded in time order, so mostly sorted already: a check first, the sort only when needed
      let sorted = true;
      for (let k = 1; k < tasks.length && sorted; k++)
        sorted = m.tasks[tasks[k - 1]!]!.start <= m.tasks[tasks[k]!]!.start;
      if (!sorted) tasks.sort((a, b) => m.tasks[a]!.start - m.tasks[b]!.start);
      lanes.push({ pilotId, lane, tasks });
    }
  return { lanes };
}

const flagged = (t: GanttTask) => t.state === "FAILED" || t.attempt > 0;

/**
 * The runs to draw in `view` (seconds since t0) on a canvas `width` pixels wide; `now` ends bars
 * still going; `keyOf` gives a task's colour key. Bars wholly outside the view are left out.
 */
export function barRuns(
  m: GanttModel,
  index: LaneIndex,
  view: View,
  width: number,
  now: number,
  keyOf: (t: GanttTask) => string,
): BarRun[] {
  const out: BarRun[] = [];
  const left = m.t0 + view.from * 1000;
  const right = m.t0 + view.to * 1000;
  for (const { pilotId, lane, tasks } of index.lanes) {
    let run: BarRun | null = null;
    let busyPx = 0;
    let keys: Map<string, number> | null = null;
    let lastNarrow = false;
    const close = () => {
      if (!run) return;
      run.busy = run.x1 > run.x0 ? Math.min(1, busyPx / (run.x1 - run.x0)) : 1;
      if (keys) {
        let most = 0;
        for (const [k, n] of keys) if (n > most) [most, run.key] = [n, k];
      }
      out.push(run);
      run = null;
      keys = null;
    };
    for (const i of tasks) {
      const t = m.tasks[i]!;
      const end = t.end ?? now;
      if (end < left || t.start > right) continue;
      const x0 = xOf(t.start, m.t0, view, width);
      const x1 = Math.max(x0, xOf(end, m.t0, view, width));
      const narrow = x1 - x0 < MIN_PX;
      const r: BarRun | null = run;
      // merge only bars that meet within a pixel, of the same width, when one of them is too narrow to see alone
      if (r && x0 < r.x1 + 1 && t.width === r.width && (narrow || lastNarrow)) {
        r.x1 = Math.max(r.x1, x1);
        r.count += 1;
        busyPx += x1 - x0;
        const k = keyOf(t);
        if (keys) keys.set(k, (keys.get(k) ?? 0) + 1);
        else if (k !== r.key)
          keys = new Map([
            [r.key, r.count - 1],
            [k, 1],
          ]);
        if (flagged(t)) r.flagged = true;
      } else {
        close();
        run = {
          pilotId,
          lane,
          width: t.width,
          x0,
          x1,
          first: i,
          count: 1,
          busy: 1,
          key: keyOf(t),
          flagged: flagged(t),
        };
        busyPx = x1 - x0;
      }
      lastNarrow = narrow;
    }
    close();
  }
  return out;
}
