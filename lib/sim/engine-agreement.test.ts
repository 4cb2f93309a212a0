import { describe, expect, it } from "vitest";
import { capacities } from "../engine/decide";
import { TASK_HOLDS_CORES } from "../states/task";
import { seededRng } from "../skeleton/rng";
import { pilotRow, taskRows } from "./adapter";
import { simulateRun } from "./run";
import { bag, input, pilot, ZERO } from "./test-helpers";

// The simulator decides capacity as the engine does (issue 15): the same prefetch function and the
// same list of states that hold cores, not copies that can drift.
const rng = () => seededRng(1, "agree");

describe("the simulator's capacity is the engine's", () => {
  it("gives short tasks the engine's tick-sized prefetch, not only the share", () => {
    // 0.1-s tasks on a 2-core pilot with a 0.5-s tick: prefetchFor allows 2 × 0.5 / 0.1 = 10 beyond the cores
    const w = bag(40, 0.1);
    const a = pilot("A", 2, 0);
    const r = simulateRun(input(w, [a], { prefetchShare: 0.5, tickS: 0.5 }), rng());
    const boundAtStart = r.events.filter((e) => e.to === "TMGR_SCHEDULING" && e.at === r.events[0]!.at);
    const engine = capacities([{ ...pilotRow(a, 0, "x"), state: "PMGR_ACTIVE" }], taskRows(w), new Map(), {
      share: 0.5,
      tickS: 0.5,
    });
    expect(engine[0]!.free).toBe(12);
    expect(boundAtStart).toHaveLength(12);
    // without a tick (a system that binds as cores free up) the share alone: 2 + 1
    const noTick = simulateRun(input(w, [a], { prefetchShare: 0.5 }), rng());
    expect(noTick.events.filter((e) => e.to === "TMGR_SCHEDULING" && e.at === r.events[0]!.at)).toHaveLength(
      3,
    );
  });

  it("frees a core when its task stops executing, before its outputs are collected", () => {
    // the engine's busy cores leave out AGENT_STAGING_OUTPUT (lib/engine/tasks.ts busyCores)
    expect(TASK_HOLDS_CORES).not.toContain("AGENT_STAGING_OUTPUT");
    const o = { ...ZERO, stageOutS: 50 };
    // task 0 runs 0–100 and is collected at 150; task 1 starts at 100, runs to 200, collected at 250
    const r = simulateRun(input(bag(2, 100), [pilot("A", 1, 0, { overheads: o })]), rng());
    const started = r.events.filter((e) => e.to === "AGENT_EXECUTING").map((e) => e.at - r.events[0]!.at);
    expect(started).toEqual([0, 100_000]);
    expect(r.ttc).toBe(250);
  });
});
