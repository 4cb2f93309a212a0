import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { splitCores } from "./cores";
import { formatDuration } from "./duration";
import { pilotsCsv, tasksCsv } from "./exports";
import { computeStats, plainReport } from "./metrics";

// Issue 15: statistics that add up. Every expected number below is worked out by hand in the comment above it.
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
const pilot = (
  id: string,
  cores: number,
  pending: number,
  active: number | null,
  end: number,
  final: string,
): RunEvent[] => [
  ev("pilot", id, "NEW", 0, { label: id, cores }),
  ev("pilot", id, "PMGR_ACTIVE_PENDING", pending),
  ...(active === null ? [] : [ev("pilot", id, "PMGR_ACTIVE", active)]),
  ev("pilot", id, final, end, null, final === "DONE" ? null : `${id} ended ${final}`),
];
/** A task bound at `bind`, staged until `handed`, executing `start`–`end` on `slot`, outputs back by `done`. */
const task = (
  id: string,
  p: string,
  bind: number,
  handed: number,
  start: number,
  end: number,
  slot: number,
  attempt = 0,
  done = end,
): RunEvent[] => [
  ev("task", id, "TMGR_SCHEDULING", bind, { pilotId: p, attempt }),
  ev("task", id, "TMGR_STAGING_INPUT", bind, { pilotId: p, attempt }),
  ev("task", id, "AGENT_STAGING_INPUT", handed, { pilotId: p, attempt }),
  ev("task", id, "AGENT_EXECUTING", start, { pilotId: p, attempt, slots: [slot] }),
  ev("task", id, "AGENT_STAGING_OUTPUT", end, { pilotId: p, attempt, exitCode: 0 }),
  ev("task", id, "DONE", done, { attempt }),
];
const created = (...ids: string[]) =>
  ids.map((t) => ev("task", t, "NEW", 0, { stage: "Stage_1", cores: 1, attempt: 0 }));

describe("utilisation: application + system + idle = 100 % of the cores provided", () => {
  it("counts a core left idle as idle, not as system (the 87/13/0 % report)", () => {
    // one 2-core pilot active 0–66 s. a runs on core 0 for 0–66; b runs on core 1 for 0–33, then core 1 sits idle 33 s.
    // provided 132 core-s; application 66 + 33 = 99 (75 %); system 0; idle 33 (25 %).
    const log = [
      ev("run", "r", "ACTIVE", 0),
      ...pilot("p", 2, 0, 0, 66, "DONE"),
      ...created("a", "b"),
      ...task("a", "p", 0, 0, 0, 66, 0),
      ...task("b", "p", 0, 0, 0, 33, 1),
      ev("run", "r", "DONE", 66),
    ];
    const st = computeStats(log);
    expect(st.utilisation.application).toBeCloseTo(75, 9);
    expect(st.utilisation.system).toBeCloseTo(0, 9);
    expect(st.utilisation.idle).toBeCloseTo(25, 9);
    expect(st.pilots[0]).toMatchObject({
      coreSecondsProvided: 132,
      coreSecondsUsed: 99,
      coreSecondsSystem: 0,
      coreSecondsIdle: 33,
    });
  });

  it("counts a bound task's staging on a free core as system, but not a task queued behind busy cores", () => {
    // one 1-core pilot active 0–40. a: bound 0, staged until 10, runs 10–20. b: bound 12, handed 14, waits for the
    // core (busy with a) until 20, runs 20–30. Core: 0–10 held by a staging → system 10; 10–30 executing → 20;
    // 12–20 b is bound but the core is busy → nothing; 30–40 empty → idle 10. Sum 40 = provided.
    const log = [
      ev("run", "r", "ACTIVE", 0),
      ...pilot("p", 1, 0, 0, 40, "DONE"),
      ...created("a", "b"),
      ...task("a", "p", 0, 10, 10, 20, 0),
      ...task("b", "p", 12, 14, 20, 30, 0),
      ev("run", "r", "DONE", 40),
    ];
    const st = computeStats(log);
    expect(st.pilots[0]).toMatchObject({
      coreSecondsProvided: 40,
      coreSecondsUsed: 20,
      coreSecondsSystem: 10,
      coreSecondsIdle: 10,
    });
    expect([st.utilisation.application, st.utilisation.system, st.utilisation.idle]).toEqual([50, 25, 25]);
    // per task: staging in (until handed to the agent) apart from waiting for a core on the pilot
    const b = st.tasks.find((t) => t.id === "b")!;
    expect([b.stagingIn, b.coreWait, b.wait]).toEqual([2, 6, 20]);
    const a = st.tasks.find((t) => t.id === "a")!;
    expect([a.stagingIn, a.coreWait]).toEqual([10, 0]);
    expect(tasksCsv(st).split("\r\n")[0]).toContain("staging_in_s,core_wait_s,staging_out_s");
  });

  it("a failed pilot provides cores until it fails; its running task is retried elsewhere and counted once per attempt", () => {
    // p1 (1 core) active 0–15, FAILED at 15 while x runs on it since 5 (bound at 5): application 10, idle 0–5 = 5.
    // x is retried on p2 (1 core, active 0–30): bound 20, runs 20–30: application 10, idle 20 (0–20).
    // provided 15 + 30 = 45; application 20 (44.4 %); system 0; idle 25 (55.6 %).
    const log = [
      ev("run", "r", "ACTIVE", 0),
      ...pilot("p1", 1, 0, 0, 15, "FAILED"),
      ...pilot("p2", 1, 0, 0, 30, "DONE"),
      ...created("x"),
      ev("task", "x", "TMGR_SCHEDULING", 5, { pilotId: "p1", attempt: 0 }),
      ev("task", "x", "AGENT_EXECUTING", 5, { pilotId: "p1", attempt: 0, slots: [0] }),
      ev(
        "task",
        "x",
        "TMGR_SCHEDULING_PENDING",
        15,
        { attempt: 1, fromPilotId: "p1" },
        "retry: pilot p1 ended FAILED",
      ),
      ...task("x", "p2", 20, 20, 20, 30, 0, 1),
      ev("run", "r", "DONE", 30),
    ];
    const st = computeStats(log);
    const p = new Map(st.pilots.map((x) => [x.id, x]));
    expect(p.get("p1")).toMatchObject({
      state: "FAILED",
      activeTime: 15,
      coreSecondsUsed: 10,
      coreSecondsIdle: 5,
      tasksRun: 1,
    });
    expect(p.get("p2")).toMatchObject({ coreSecondsUsed: 10, coreSecondsIdle: 20, tasksRun: 1 });
    expect(st.utilisation.application).toBeCloseTo((20 / 45) * 100, 9);
    expect(st.utilisation.idle).toBeCloseTo((25 / 45) * 100, 9);
    expect(st.utilisation.application + st.utilisation.system + st.utilisation.idle).toBeCloseTo(100, 9);
    expect(st.tasks[0]).toMatchObject({ attempts: 2, pilotId: "p2", execution: 10 });
    expect(st.ttx).toBe(20);
  });

  it("splitCores never counts more than the pilot's cores, and clips to the active time", () => {
    // 2 cores active 10–20; three 1-core tasks executing 0–30 (one more than fits) → application 20, nothing else
    expect(
      splitCores(
        [10, 20],
        2,
        [0, 1, 2].map(() => ({ start: 0, end: 30, cores: 1 })),
        [],
      ),
    ).toEqual({ provided: 20, application: 20, system: 0, idle: 0 });
    expect(splitCores(null, 2, [], [])).toEqual({ provided: 0, application: 0, system: 0, idle: 0 });
  });
});

describe("TTQ over the pilots that became active", () => {
  // The SC2014 demo: three local pilots active at once (0 s), a fourth queued for the whole 56 s run and cancelled.
  // TTQ = 0 (not 56 = TTC); the never-active pilot and its 56 s wait are reported beside it.
  const log = [
    ev("run", "r", "ACTIVE", 0),
    ...["a", "b", "c"].flatMap((id) => pilot(id, 1, 0, 0, 56, "DONE")),
    ...pilot("never", 4, 0, null, 56, "CANCELED"),
    ...created("t"),
    ...task("t", "a", 0, 0, 0, 56, 0),
    ev("run", "r", "DONE", 56),
  ];
  it("keeps the never-active pilot's wait out of TTQ and reports it beside it", () => {
    const st = computeStats(log);
    expect([st.ttc, st.ttq, st.neverActive, st.ttqNeverActive]).toEqual([56, 0, 1, 56]);
    const never = st.pilots.find((p) => p.id === "never")!;
    expect([never.becameActive, never.queueWait, never.coreSecondsProvided]).toEqual([false, 56, 0]);
    expect(plainReport(st)).toBe(
      "4 pilots requested, 3 became active after 0 s, 1 never did (queued 56 s); 1 task done, 0 failed; TTC 56 s of which 56 s execution.",
    );
    expect(pilotsCsv(st).split("\r\n")[0]).toContain("core_s_used,core_s_system,core_s_idle");
  });
  it("says 'still waiting' for a live run's queued pilot, not 'never did'", () => {
    const live = [
      ev("run", "r", "ACTIVE", 0),
      ...pilot("a", 1, 0, 5, 30, "DONE").slice(0, 3),
      ev("pilot", "q", "NEW", 0, { label: "q", cores: 1 }),
      ev("pilot", "q", "PMGR_ACTIVE_PENDING", 0),
      ev("run", "r", "ACTIVE", 30),
    ];
    expect(plainReport(computeStats(live))).toBe(
      "2 pilots requested, 1 became active after 5 s, 1 still waiting (queued 30 s); 0 tasks done, 0 failed; TTC 30 s of which 0 s execution.",
    );
  });
  it("unions overlapping waits of active pilots: 0–10 and 5–20 wait 20 s, not 25", () => {
    const st = computeStats([
      ev("run", "r", "ACTIVE", 0),
      ...pilot("p", 1, 0, 10, 30, "DONE"),
      ...pilot("q", 1, 5, 20, 30, "DONE"),
      ev("run", "r", "DONE", 30),
    ]);
    expect([st.ttq, st.neverActive, st.ttqNeverActive]).toEqual([20, 0, 0]);
  });
});

describe("one duration format", () => {
  it("writes the same time the same way everywhere: 152 s stays 152 s, not '3 min'", () => {
    expect([
      formatDuration(152),
      formatDuration(8.4),
      formatDuration(600),
      formatDuration(754),
      formatDuration(36_000),
      formatDuration(37_980),
      formatDuration(Number.NaN),
    ]).toEqual(["152 s", "8 s", "10 min", "12 min 34 s", "10 h", "10 h 33 min", "–"]);
  });
});
