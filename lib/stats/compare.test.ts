import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { compareRun, unionOf } from "./compare";

let seq = 0;
const ev = (
  t0: number,
  entity: RunEvent["entity"],
  entityId: string,
  to: string,
  atS: number,
  data: Record<string, unknown> | null = null,
): RunEvent => ({
  seq: ++seq,
  runId: "r",
  entity,
  entityId,
  from: null,
  to,
  at: t0 + atS * 1000,
  reason: null,
  data,
});

/** One pilot waiting `wait` s, then two 10 s tasks back to back; the run starts at t0. */
function run(t0: number, wait: number): RunEvent[] {
  const e = (
    entity: RunEvent["entity"],
    id: string,
    to: string,
    s: number,
    d: Record<string, unknown> | null = null,
  ) => ev(t0, entity, id, to, s, d);
  return [
    e("run", "r", "ACTIVE", 0),
    e("pilot", "p", "NEW", 0, { label: "local (2)", cores: 2 }),
    e("pilot", "p", "PMGR_ACTIVE_PENDING", 0),
    ...["a", "b"].map((t) => e("task", t, "NEW", 0, { stage: "Stage_1", cores: 1, attempt: 0 })),
    e("pilot", "p", "PMGR_ACTIVE", wait),
    ...[
      ["a", wait, wait + 10],
      ["b", wait + 10, wait + 20],
    ].flatMap(([t, a, b]) => [
      e("task", t as string, "AGENT_EXECUTING", a as number, { pilotId: "p", attempt: 0, slots: [0] }),
      e("task", t as string, "AGENT_STAGING_OUTPUT", b as number, { pilotId: "p", attempt: 0, exitCode: 0 }),
      e("task", t as string, "DONE", b as number, { attempt: 0 }),
    ]),
    e("pilot", "p", "DONE", wait + 20),
    e("run", "r", "DONE", wait + 20),
  ];
}

describe("compareRun", () => {
  it("two runs hours apart are both drawn from zero, with their TTC terms and the pilot's wait, activity and busy time", () => {
    const fast = compareRun(
      { id: "1", name: "adaptive", state: "DONE", strategy: "adaptive" },
      run(1_700_000_000_000, 5),
    );
    const slow = compareRun(
      { id: "2", name: "aimes", state: "DONE", strategy: "aimes" },
      run(1_700_010_000_000, 30),
    );
    expect(fast.span).toBe(25);
    expect(slow.span).toBe(50);
    expect(fast.ttc).toBe(25);
    expect(slow.ttq).toBe(30);
    expect(fast.pilots).toHaveLength(1);
    expect(fast.pilots[0]).toMatchObject({
      label: "local (2)",
      waiting: [0, 5],
      active: [5, 25],
      busy: [[5, 25]],
      tasksRun: 2,
    });
    expect(slow.pilots[0]).toMatchObject({ waiting: [0, 30], active: [30, 50], queueWait: 30 });
    expect(fast.tasks).toEqual({ done: 2, failed: 0, total: 2 });
  });
  it("unionOf merges overlapping and touching intervals and drops empty ones", () => {
    expect(
      unionOf([
        [5, 7],
        [0, 2],
        [1, 3],
        [3, 4],
        [8, 8],
      ]),
    ).toEqual([
      [0, 4],
      [5, 7],
    ]);
  });
});
