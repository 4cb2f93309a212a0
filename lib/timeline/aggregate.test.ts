import { describe, expect, it } from "vitest";
import { barRuns, laneIndex, MIN_PX } from "./aggregate";
import { LABEL_W, xOf } from "./geometry";
import type { GanttModel, GanttTask } from "./model";

const T = 1_700_000_000_000;
const WIDTH = 1400;

/** 4 pilots × 16 lanes, 20,000 tasks of 50–150 ms back to back, a few of them FAILED or retried; one 2-core task. */
function model(): GanttModel {
  const tasks: GanttTask[] = [];
  const free = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const pilotId = `p${i % 4}`;
    const lane = Math.floor(i / 4) % 16;
    const key = `${pilotId}:${lane}`;
    const start = free.get(key) ?? T + 1000;
    const end = start + 50 + ((i * 37) % 100);
    free.set(key, end + (i % 50 === 0 ? 30_000 : 5));
    tasks.push({
      taskId: `Stage_${i % 3}_${i}`,
      pilotId,
      lane,
      width: 1,
      start,
      end,
      stage: `Stage_${i % 3}`,
      state: i % 997 === 0 ? "FAILED" : "DONE",
      attempt: i % 1999 === 0 ? 1 : 0,
      note: null,
    });
  }
  tasks.push({ ...tasks[0]!, taskId: "wide", lane: 0, width: 2, start: T + 500_000, end: T + 560_000 });
  return {
    t0: T,
    pilots: [0, 1, 2, 3].map((p) => ({
      id: `p${p}`,
      label: `p${p}`,
      cores: 16,
      segments: [],
      finalState: "DONE",
      reason: null,
      neverActive: false,
      waited: 0,
    })),
    tasks,
    stages: ["Stage_0", "Stage_1", "Stage_2"],
  };
}

const byStage = (t: GanttTask) => t.stage;

describe("the timeline's bars at any zoom (lib/timeline/aggregate.ts)", () => {
  const m = model();
  const index = laneIndex(m);
  const last = Math.max(...m.tasks.map((t) => t.end!));
  const whole = { from: 0, to: (last - T) / 1000 + 1 };

  it("at full view merges sub-pixel bars, and counts every task in exactly one run that covers it", () => {
    const runs = barRuns(m, index, whole, WIDTH, last, byStage);
    expect(runs.length).toBeLessThan(m.tasks.length / 5);
    expect(runs.reduce((n, r) => n + r.count, 0)).toBe(m.tasks.length);
    // each task lies inside the run of its lane that starts at or before it: nothing drawn where no task ran
    const seen = new Set<number>();
    for (const lane of index.lanes) {
      const mine = runs.filter((r) => r.pilotId === lane.pilotId && r.lane === lane.lane);
      let k = 0;
      for (const r of mine) {
        const members = lane.tasks.slice(k, k + r.count);
        k += r.count;
        expect(members[0]).toBe(r.first);
        const first = m.tasks[members[0]!]!;
        expect(r.x0).toBeCloseTo(xOf(first.start, T, whole, WIDTH), 6);
        expect(r.x1).toBeCloseTo(Math.max(...members.map((i) => xOf(m.tasks[i]!.end!, T, whole, WIDTH))), 6);
        expect(r.busy).toBeGreaterThan(0);
        expect(r.busy).toBeLessThanOrEqual(1);
        expect(r.flagged).toBe(
          members.some((i) => m.tasks[i]!.state === "FAILED" || m.tasks[i]!.attempt > 0),
        );
        for (const i of members) seen.add(i);
      }
      expect(k).toBe(lane.tasks.length);
    }
    expect(seen.size).toBe(m.tasks.length);
    // the wide task is not merged with its 1-core neighbours
    expect(runs.find((r) => r.width === 2)?.count).toBe(1);
  });

  it("colours a merged run by what most of its tasks are", () => {
    const runs = barRuns(m, index, whole, WIDTH, last, (t) => (t.stage === "Stage_2" ? "b" : "a"));
    const big = runs.filter((r) => r.count >= 9);
    expect(big.length).toBeGreaterThan(0);
    // two thirds of the tasks are "a" (Stages 0 and 1), spread evenly: every big run is mostly "a"
    for (const r of big) expect(r.key).toBe("a");
  });

  it("zoomed in until bars are wide, draws every task in view exactly, one run each", () => {
    const view = { from: 100, to: 101.5 };
    const runs = barRuns(m, index, view, WIDTH, last, byStage);
    const inView = m.tasks.filter((t) => t.end! >= T + view.from * 1000 && t.start <= T + view.to * 1000);
    expect(inView.length).toBeGreaterThan(20);
    expect(runs).toHaveLength(inView.length);
    for (const r of runs) {
      const t = m.tasks[r.first]!;
      expect(r.count).toBe(1);
      expect(r.x0).toBe(xOf(t.start, T, view, WIDTH));
      expect(r.x1).toBe(xOf(t.end!, T, view, WIDTH));
      expect(r.x1 - r.x0).toBeGreaterThanOrEqual(MIN_PX);
      expect(r.key).toBe(t.stage);
    }
  });

  it("leaves out what is outside the view, and ends a task still running at now", () => {
    const live = { ...m, tasks: [{ ...m.tasks[0]!, end: null }] };
    const runs = barRuns(live, laneIndex(live), { from: 0, to: 10 }, WIDTH, T + 5000, byStage);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.x1).toBe(xOf(T + 5000, T, { from: 0, to: 10 }, WIDTH));
    expect(barRuns(live, laneIndex(live), { from: 20, to: 30 }, WIDTH, T + 5000, byStage)).toHaveLength(0);
    expect(runs[0]!.x0).toBeGreaterThanOrEqual(LABEL_W);
  });
});
