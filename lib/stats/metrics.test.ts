import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { unionLength } from "./intervals";
import { computeStats, plainReport } from "./metrics";

let seq = 0;
const T = 1_700_000_000_000;
const ev = (
  entity: RunEvent["entity"],
  entityId: string,
  to: string,
  atS: number,
  data: Record<string, unknown> | null = null,
  reason: string | null = null,
): RunEvent => ({
  seq: ++seq,
  runId: "r",
  entity,
  entityId,
  from: null,
  to,
  at: T + atS * 1000,
  reason,
  data,
});
const task = (
  id: string,
  pilot: string,
  bind: number,
  start: number,
  end: number,
  slot: number,
  attempt = 0,
): RunEvent[] => [
  ev("task", id, "TMGR_SCHEDULING", bind, { pilotId: pilot, attempt }),
  ev("task", id, "AGENT_EXECUTING", start, { pilotId: pilot, attempt, slots: [slot] }),
  ev("task", id, "AGENT_STAGING_OUTPUT", end, { pilotId: pilot, attempt, exitCode: 0 }),
  ev("task", id, "DONE", end, { attempt }),
];

// Hand-made log with known answers: p1 waits 10 s and runs from 10 to 40; p2 waits 20 s and runs 20 to 40;
// p3 never starts (queued from 0 to 40, then cancelled). Tasks: a on p1 10–30, b on p2 20–40 (overlaps a), c on p1 30–40.
const log: RunEvent[] = [
  ev("run", "r", "ACTIVE", 0),
  ...["p1", "p2", "p3"].map((p) => ev("pilot", p, "NEW", 0, { label: p, cores: 2 })),
  ...["p1", "p2", "p3"].map((p) => ev("pilot", p, "PMGR_ACTIVE_PENDING", 0)),
  ...["a", "b", "c"].map((t) => ev("task", t, "NEW", 0, { stage: "Stage_1", cores: 1, attempt: 0 })),
  ev("pilot", "p1", "PMGR_ACTIVE", 10),
  ev("pilot", "p2", "PMGR_ACTIVE", 20),
  ...task("a", "p1", 10, 10, 30, 0),
  ...task("b", "p2", 20, 20, 40, 0),
  ...task("c", "p1", 30, 30, 40, 1),
  ev("pilot", "p1", "DONE", 40),
  ev("pilot", "p2", "DONE", 40),
  ev("pilot", "p3", "CANCELED", 40, null, "never started"),
  ev("run", "r", "DONE", 40),
];

describe("run statistics", () => {
  it("unions overlapping intervals", () => {
    expect(
      unionLength([
        [0, 10],
        [5, 15],
        [20, 30],
        [25, 26],
        [40, 40],
      ]),
    ).toBe(25);
  });
  it("computes TTC, TTQ, TTX and per-pilot figures from a hand-made log", () => {
    const st = computeStats(log);
    // TTQ over the pilots that became active (p1 0–10, p2 0–20 → 20); p3's 40 s wait is reported beside it
    expect([st.ttc, st.ttq, st.ttx, st.ovh]).toEqual([40, 20, 30, 10]);
    expect([st.neverActive, st.ttqNeverActive]).toEqual([1, 40]);
    const p = new Map(st.pilots.map((x) => [x.id, x]));
    expect([p.get("p1")!.queueWait, p.get("p2")!.queueWait, p.get("p3")!.queueWait]).toEqual([10, 20, 40]);
    expect(p.get("p3")!.becameActive).toBe(false);
    expect([p.get("p1")!.coreSecondsProvided, p.get("p1")!.coreSecondsUsed, p.get("p1")!.tasksRun]).toEqual([
      60, 30, 2,
    ]);
    // provided: p1 30 s × 2 + p2 20 s × 2 = 100 core-s; used 20 + 20 + 10 = 50 → 50 % application
    expect(st.utilisation.application).toBeCloseTo(50, 6);
    expect(st.utilisation.application + st.utilisation.system + st.utilisation.idle).toBeCloseTo(100, 6);
    expect(st.stages).toEqual([{ name: "Stage_1", tasks: 3, span: 30, throughput: 0.1 }]);
    expect(plainReport(st)).toBe(
      "3 pilots requested, 2 became active after 10–20 s, 1 never did (queued 40 s); 3 tasks done, 0 failed; TTC 40 s of which 30 s execution.",
    );
  });
  it("counts a retried task's two attempts and flags bad timestamps", () => {
    const retry: RunEvent[] = [
      ...log.slice(0, 12),
      ...task("a", "p1", 10, 10, 30, 0),
      ev("task", "x", "NEW", 0, { stage: "Stage_1", cores: 1, attempt: 0 }),
      ev("task", "x", "TMGR_SCHEDULING", 10, { pilotId: "p1", attempt: 0 }),
      ev("task", "x", "AGENT_EXECUTING", 12, { pilotId: "p1", attempt: 0, slots: [1] }),
      ev("task", "x", "TMGR_SCHEDULING_PENDING", 15, { attempt: 1 }, "retry: pilot p1 ended FAILED"),
      ...task("x", "p2", 20, 20, 25, 1, 1),
      { ...ev("task", "y", "NEW", 0), at: Number.NaN },
    ];
    const st = computeStats(retry);
    const x = st.tasks.find((t) => t.id === "x")!;
    expect([x.attempts, x.pilotId, x.execution, x.state]).toEqual([2, "p2", 5, "DONE"]);
    expect(st.problems.some((p) => /has no valid time/.test(p))).toBe(true);
  });
});
