import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { emptyView, foldEvents } from "./fold";
import { progress } from "./progress";
import { occupancySeries, sampleStep } from "./timeseries";

const T = 1_700_000_000_000;
let seq = 0;
const ev = (
  entity: RunEvent["entity"],
  entityId: string,
  to: string,
  s: number,
  data: Record<string, unknown> | null = null,
): RunEvent => ({
  seq: ++seq,
  runId: "r",
  entity,
  entityId,
  from: null,
  to,
  at: T + s * 1000,
  reason: null,
  data,
});

function run(n: number, doneBy: number): RunEvent[] {
  seq = 0;
  const out = [ev("pilot", "p1", "NEW", 0, { label: "a", cores: 2 }), ev("pilot", "p1", "PMGR_ACTIVE", 2)];
  for (let i = 0; i < n; i++) {
    const id = `S_${i}`;
    out.push(ev("task", id, "NEW", 0, { stage: "S" }), ev("task", id, "TMGR_SCHEDULING_PENDING", 0));
    if (i < doneBy) {
      const s = 2 + i * 2;
      out.push(
        ev("task", id, "TMGR_SCHEDULING", s, { pilotId: "p1" }),
        ev("task", id, "AGENT_EXECUTING", s, { pilotId: "p1", slots: [0] }),
        ev("task", id, "DONE", s + 2),
      );
    }
  }
  return out;
}

describe("occupancy series", () => {
  it("has no points and a 1 s step before the run's first event (never an epoch-long axis)", () => {
    const s = occupancySeries(emptyView(), { now: T, maxPoints: 200 });
    expect(s.step).toBe(1);
    expect(s.points).toEqual([]);
  });

  it("counts waiting tasks and busy cores per pilot at each sample", () => {
    const v = foldEvents(emptyView(), run(3, 3));
    const s = occupancySeries(v, { maxPoints: 1000 });
    expect(s.step).toBe(1);
    expect(s.pilotIds).toEqual(["p1"]);
    expect(s.points[0]).toMatchObject({ t: 0, waiting: 3, executing: 0, busy: [0] });
    expect(s.points[3]).toMatchObject({ waiting: 2, executing: 1, busy: [1] });
    expect(s.points[7]).toMatchObject({ waiting: 0, executing: 1, busy: [1] });
    expect(s.points[8]).toMatchObject({ waiting: 0, executing: 0, busy: [0] });
    expect(s.points.at(-1)).toMatchObject({ t: 8, executing: 0 });
  });
  it("keeps a task still waiting in the queue up to now, and bounds the number of samples", () => {
    const v = foldEvents(emptyView(), run(3, 1));
    const s = occupancySeries(v, { now: T + 3600_000, maxPoints: 100 });
    expect(s.points.length).toBeLessThanOrEqual(100);
    expect(s.points.at(-1)!.waiting).toBe(2);
    expect(sampleStep(3600, 100)).toBe(60);
  });
});

describe("progress and time to completion", () => {
  it("has no estimate before a task finishes, then one from the recent rate, then 0", () => {
    expect(progress(foldEvents(emptyView(), run(4, 0)), T + 10_000)).toMatchObject({
      total: 4,
      done: 0,
      etaSeconds: null,
    });
    const p = progress(foldEvents(emptyView(), run(4, 2)), T + 6_000);
    expect(p).toMatchObject({ total: 4, done: 2, remaining: 2 });
    expect(p.rate).toBeCloseTo(0.5);
    expect(p.etaSeconds).toBeCloseTo(4);
    expect(progress(foldEvents(emptyView(), run(4, 4)), T + 11_000)).toMatchObject({
      done: 4,
      remaining: 0,
      etaSeconds: 0,
    });
  });
});
