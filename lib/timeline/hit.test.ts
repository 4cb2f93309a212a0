import { describe, expect, it } from "vitest";
// a deterministic generator (mulberry32), so a failure is the same every run
import { random } from "../../scripts/bench/run-log";
import { LABEL_W, PILOT_ROW, hitTest, layoutBands } from "./geometry";
import type { GanttModel, GanttTask } from "./model";

/** Pilots with their lanes filled by one-core tasks back to back, some two- and four-core tasks, and running ones. */
function model(): GanttModel {
  const r = random(7);
  const pilots = [8, 4, 16].map((cores, i) => ({
    id: `p${i}`,
    label: `pilot ${i} (${cores})`,
    cores,
    segments: [],
    finalState: null,
    reason: null,
    neverActive: false,
    waited: 0,
  }));
  const tasks: GanttTask[] = [];
  let n = 0;
  for (const p of pilots)
    for (let lane = 0; lane < p.cores; lane += 4) {
      let t = 1_000_000 + Math.floor(r() * 5_000);
      while (t < 1_600_000) {
        const width = r() < 0.1 ? (r() < 0.5 ? 2 : 4) : 1;
        for (let l = lane; l < lane + 4; l += width) {
          const end = t + 100 + Math.floor(r() * 3_000);
          tasks.push({
            taskId: `t${n++}`,
            pilotId: p.id,
            lane: l,
            width,
            start: t,
            end: end > 1_590_000 ? null : end,
            stage: "Stage_1",
            state: "DONE",
            attempt: 0,
            note: null,
          });
        }
        t += 3_200 + Math.floor(r() * 500);
      }
    }
  return { t0: 1_000_000, stages: ["Stage_1"], pilots, tasks };
}

describe("hit testing a big timeline", () => {
  it("finds the same task as a scan of every task, at 5,000 random points (lanes of back-to-back tasks, wide and running ones)", () => {
    const m = model();
    expect(m.tasks.length).toBeGreaterThan(3_000);
    const bands = layoutBands(m);
    const view = { from: 0, to: 600 };
    const width = LABEL_W + 1_200;
    const now = 1_600_000;
    const r = random(11);
    const bottom = bands[bands.length - 1]!.y + bands[bands.length - 1]!.height;
    let tasksHit = 0;
    for (let i = 0; i < 5_000; i++) {
      const x = LABEL_W + r() * 1_200;
      const y = bands[0]!.y + r() * (bottom - bands[0]!.y);
      const hit = hitTest(x, y, m, bands, view, width, now);
      // the plain rule: the first task of the model on that pilot, lane and time
      const band = bands.find((b) => y >= b.y && y < b.y + b.height);
      let expected: GanttTask | undefined;
      if (band && y >= band.y + PILOT_ROW) {
        const lane = Math.floor((y - band.y - PILOT_ROW) / band.lane);
        const t = m.t0 + (view.from + ((x - LABEL_W) / (width - LABEL_W)) * (view.to - view.from)) * 1000;
        expected = m.tasks.find(
          (k) =>
            k.pilotId === band.pilot.id &&
            lane >= k.lane &&
            lane < k.lane + k.width &&
            t >= k.start &&
            t <= (k.end ?? now),
        );
      }
      if (expected) {
        tasksHit++;
        expect(hit).toEqual({ kind: "task", task: expected });
      } else expect(hit?.kind ?? null).not.toBe("task");
    }
    // the points land on tasks often enough for the comparison to mean something
    expect(tasksHit).toBeGreaterThan(1_000);
  });

  it("sees a task list that changed (a live run's next update) instead of the index of the old one", () => {
    const m = model();
    const bands = layoutBands(m);
    const view = { from: 0, to: 600 };
    const width = LABEL_W + 1_200;
    const first = m.tasks[0]!;
    const x = LABEL_W + ((first.start - m.t0) / 1000 / 600) * 1_200 + 0.01;
    const band = bands.find((b) => b.pilot.id === first.pilotId)!;
    const y = band.y + PILOT_ROW + first.lane * band.lane + 1;
    expect(hitTest(x, y, m, bands, view, width, 1_600_000)).toMatchObject({ task: { taskId: first.taskId } });
    const moved = { ...m, tasks: [{ ...first, taskId: "replaced" }, ...m.tasks.slice(1)] };
    expect(hitTest(x, y, moved, bands, view, width, 1_600_000)).toMatchObject({
      task: { taskId: "replaced" },
    });
  });
});
