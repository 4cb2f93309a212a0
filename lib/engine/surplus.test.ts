import { describe, expect, it } from "vitest";
import { surplusCount, surplusToCancel } from "./surplus";

const p = (id: string, state: string, active: boolean) => ({
  id,
  state,
  activeAt: active ? new Date(0) : null,
});

describe("surplus pilots", () => {
  it("cancels the pilots still queued once enough have started, whichever they are", () => {
    const pilots = [
      p("a", "PMGR_ACTIVE_PENDING", false),
      p("b", "PMGR_ACTIVE", true),
      p("c", "PMGR_ACTIVE", true),
      p("d", "PMGR_ACTIVE_PENDING", false),
    ];
    expect(surplusToCancel(pilots, 1)).toEqual({ ids: [], reason: "" });
    const r = surplusToCancel(pilots, 2);
    expect(r.ids).toEqual(["a", "d"]);
    expect(r.reason).toBe("surplus: 2 of 4 planned pilots became active, the 2 the workload needs");
    expect(surplusToCancel(pilots, 0).ids).toEqual([]);
    // a pilot that was active and has ended still counts as started; a failed one never active is not cancelled
    expect(
      surplusToCancel(
        [p("a", "DONE", true), p("b", "FAILED", false), p("c", "PMGR_ACTIVE_PENDING", false)],
        1,
      ).ids,
    ).toEqual([]);
    expect(
      surplusToCancel(
        [p("a", "DONE", true), p("b", "PMGR_ACTIVE", true), p("c", "PMGR_ACTIVE_PENDING", false)],
        1,
      ).ids,
    ).toEqual(["c"]);
  });
  it("reads the surplus count from a frozen plan", () => {
    expect(surplusCount(JSON.stringify({ pilots: [{}, { surplus: true }, { surplus: true }] }))).toBe(2);
    expect(surplusCount("not json")).toBe(0);
  });
});
