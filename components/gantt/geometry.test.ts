import { describe, expect, it } from "vitest";
import { AXIS_H, GAP, LABEL_W, PILOT_ROW, hitTest, layoutBands, pan, tickStep, xOf, zoom } from "./geometry";
import type { GanttModel } from "./model";

const m: GanttModel = {
  t0: 1_000_000,
  stages: ["Stage_1"],
  pilots: [
    {
      id: "p1",
      label: "stampede[debug] (4)",
      cores: 4,
      segments: [],
      finalState: null,
      reason: null,
      neverActive: false,
      waited: 0,
    },
    {
      id: "p2",
      label: "gordon[normal] (4)",
      cores: 4,
      segments: [],
      finalState: "CANCELED",
      reason: "never started",
      neverActive: true,
      waited: 60_000,
    },
  ],
  tasks: [
    {
      taskId: "Stage_1_0",
      pilotId: "p1",
      lane: 2,
      width: 1,
      start: 1_010_000,
      end: 1_020_000,
      stage: "Stage_1",
      state: "DONE",
      attempt: 0,
      note: null,
    },
  ],
};

describe("gantt geometry", () => {
  it("stacks pilots with one lane per core, and a never-active pilot gets one placeholder lane", () => {
    const b = layoutBands(m);
    expect(b[0]).toMatchObject({ y: AXIS_H, lanes: 4, lane: 14, height: PILOT_ROW + 4 * 14 });
    expect(b[1]).toMatchObject({ y: AXIS_H + PILOT_ROW + 4 * 14 + GAP, lanes: 1 });
  });
  it("maps time to x and finds the task under the pointer", () => {
    const view = { from: 0, to: 100 };
    const width = LABEL_W + 1000;
    expect(xOf(m.t0 + 15_000, m.t0, view, width)).toBe(LABEL_W + 150);
    const b = layoutBands(m);
    const y = b[0]!.y + PILOT_ROW + 2 * b[0]!.lane + 1;
    expect(hitTest(LABEL_W + 150, y, m, b, view, width, 0)).toMatchObject({
      kind: "task",
      task: { taskId: "Stage_1_0" },
    });
    expect(hitTest(LABEL_W + 150, y + b[0]!.lane, m, b, view, width, 0)).toMatchObject({ kind: "pilot" });
    expect(hitTest(LABEL_W + 150, b[1]!.y + 2, m, b, view, width, 0)).toMatchObject({
      kind: "pilot",
      pilot: { id: "p2" },
    });
  });
  it("zooms around the pointer within bounds and pans without leaving them", () => {
    const bounds = { from: 0, to: 100 };
    const z = zoom({ from: 0, to: 100 }, 0.5, LABEL_W + 500, LABEL_W + 1000, bounds);
    expect(z).toEqual({ from: 25, to: 75 });
    expect(pan(z, 1000, bounds)).toEqual({ from: 50, to: 100 });
    expect(pan(z, -1000, bounds)).toEqual({ from: 0, to: 50 });
    expect(zoom(z, 10, LABEL_W, LABEL_W + 1000, bounds)).toEqual({ from: 0, to: 100 });
  });
  it("picks round tick steps", () => {
    expect(tickStep(100)).toBe(20);
    expect(tickStep(9)).toBe(2);
    expect(tickStep(2000)).toBe(500);
  });
});
