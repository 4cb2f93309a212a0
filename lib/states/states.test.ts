import { describe, expect, it } from "vitest";
import { PILOT_STATES, PILOT_TRANSITIONS, isPilotFinal, pilotOrdinal } from "./pilot";
import { TASK_STATES, TASK_TRANSITIONS, isTaskFinal, taskOrdinal } from "./task";
import { transition } from "./transition";

describe("pilot transitions", () => {
  it("never go backwards and never leave a final state", () => {
    for (const from of PILOT_STATES) {
      for (const to of PILOT_STATES) {
        const r = transition(PILOT_TRANSITIONS, from, to);
        if (isPilotFinal(from)) expect(r.ok).toBe(false);
        if (r.ok) expect(pilotOrdinal(to)).toBeGreaterThan(pilotOrdinal(from));
      }
    }
  });
  it("only an active pilot can be DONE", () => {
    const toDone = PILOT_STATES.filter((s) => transition(PILOT_TRANSITIONS, s, "DONE").ok);
    expect(toDone).toEqual(["PMGR_ACTIVE"]);
  });
});

describe("task transitions", () => {
  it("go forward except the requeue to the wait queue, and final states are final", () => {
    for (const from of TASK_STATES) {
      for (const to of TASK_STATES) {
        const r = transition(TASK_TRANSITIONS, from, to);
        if (isTaskFinal(from)) expect(r.ok).toBe(false);
        if (r.ok && taskOrdinal(to) <= taskOrdinal(from)) expect(to).toBe("TMGR_SCHEDULING_PENDING");
      }
    }
  });
  it("rejects binding a task that is not waiting", () => {
    const r = transition(TASK_TRANSITIONS, "NEW", "TMGR_SCHEDULING");
    expect(r).toEqual({
      ok: false,
      error: { code: "INVALID_TRANSITION", message: "cannot move from NEW to TMGR_SCHEDULING" },
    });
  });
});

describe("run transitions", async () => {
  const { RUN_STATES, RUN_TRANSITIONS, isRunFinal } = await import("./run");
  it("final states are final and NEW cannot be DONE without running", () => {
    for (const from of RUN_STATES)
      for (const to of RUN_STATES)
        if (isRunFinal(from)) expect(transition(RUN_TRANSITIONS, from, to).ok).toBe(false);
    expect(transition(RUN_TRANSITIONS, "NEW", "DONE").ok).toBe(false);
    expect(transition(RUN_TRANSITIONS, "ACTIVE", "DONE").ok).toBe(true);
  });
});
