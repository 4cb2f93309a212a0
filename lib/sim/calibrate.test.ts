import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { calibrate, type PastRun } from "./calibrate";
import { DEFAULT_END_S, DEFAULT_OVERHEADS } from "./from-plan";

// hand-made event logs: times in seconds from 1,000,000 ms
function log(
  runId: string,
  rows: [entity: RunEvent["entity"], id: string, to: string, atS: number, data?: Record<string, unknown>][],
): RunEvent[] {
  return rows.map(([entity, entityId, to, atS, data], i) => ({
    seq: i + 1,
    runId,
    entity,
    entityId,
    from: null,
    to,
    at: 1_000_000 + atS * 1000,
    reason: null,
    data: data ?? null,
  }));
}

function taskRows(
  id: string,
  pilot: string,
  bind: number,
  handed: number,
  exec: number,
  out: number,
  done: number,
): [RunEvent["entity"], string, string, number, Record<string, unknown>?][] {
  return [
    ["task", id, "NEW", 0, { stage: "Stage_1", cores: 1 }],
    ["task", id, "TMGR_SCHEDULING_PENDING", 0],
    ["task", id, "TMGR_SCHEDULING", bind, { pilotId: pilot }],
    ["task", id, "TMGR_STAGING_INPUT", bind, { pilotId: pilot }],
    ["task", id, "AGENT_STAGING_INPUT", handed, { pilotId: pilot }],
    ["task", id, "AGENT_EXECUTING", exec, { pilotId: pilot }],
    ["task", id, "AGENT_STAGING_OUTPUT", out, { exitCode: 0 }],
    ["task", id, "DONE", done],
  ];
}

// run A: pilot p1 on resource R[normal] submitted at 2 s, active at 12 s (wait 10 s); p2 on R[normal] submitted at 4 s, never active (FAILED)
const runA: PastRun = {
  runId: "A",
  pilotResource: { p1: "R", p2: "R" },
  taskLength: { t1: 3, t2: 3 },
  events: log("A", [
    ["run", "A", "NEW", 0],
    ["run", "A", "ACTIVE", 0],
    ["pilot", "p1", "NEW", 0, { label: "r", queue: "normal", cores: 2 }],
    ["pilot", "p2", "NEW", 0, { label: "r", queue: "normal", cores: 2 }],
    ["pilot", "p1", "PMGR_ACTIVE_PENDING", 2],
    ["pilot", "p2", "PMGR_ACTIVE_PENDING", 4],
    ["pilot", "p1", "PMGR_ACTIVE", 12],
    ...taskRows("t1", "p1", 12, 12.5, 14, 17.5, 18),
    ...taskRows("t2", "p1", 12, 13.5, 15, 18.5, 19),
    ["pilot", "p2", "FAILED", 20],
    ["pilot", "p1", "DONE", 21],
    ["run", "A", "DONE", 22],
  ]),
};

describe("calibrate", () => {
  it("fits waits, never-active share, start-up, hand-over, collection, overrun, launch and end from a hand-computed log", () => {
    const c = calibrate([runA]);
    const r = c.resources.R!;
    expect(r.waits.normal).toEqual({ samples: [10], never: 1 });
    // p1 active at 12, its first task executes at 14
    expect(r.startupS).toEqual({ value: 2, source: "measured", n: 1 });
    // one batch (both handed over from 12 s), done at 13.5 s: 1.5 s shared by its 2 tasks
    expect(r.perTaskS).toEqual({ value: 0.75, source: "measured", n: 2 });
    expect(r.stageOutS.value).toBeCloseTo(0.5);
    // executed 3.5 s for a 3 s task
    expect(r.execOverrunS.value).toBeCloseTo(0.5);
    expect(c.submitS).toEqual({ value: 2, source: "measured", n: 1 });
    expect(c.launchGapS).toEqual({ value: 2, source: "measured", n: 1 });
    // last task done at 19, run's last event at 22
    expect(c.endS).toEqual({ value: 3, source: "measured", n: 1 });
    expect(c.runIds).toEqual(["A"]);
  });

  it("never learns from the excluded run, and says which figures are the documented defaults", () => {
    const c = calibrate([runA], "A");
    expect(c.runIds).toEqual([]);
    expect(c.resources).toEqual({});
    expect(c.endS).toEqual({ value: DEFAULT_END_S, source: "default", n: 0 });
    expect(c.submitS.source).toBe("default");
    expect(DEFAULT_OVERHEADS.startupS).toBe(11);
  });
});
