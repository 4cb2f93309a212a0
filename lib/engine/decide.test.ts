import { describe, expect, it } from "vitest";
import type { PilotRow, TaskRow } from "./context";
import {
  agentExitState,
  bindLate,
  capacities,
  onPilotEnded,
  onTaskGivenUp,
  readiness,
  stuckReason,
} from "./decide";
import type { RunRuntime } from "./runtime";

const task = (taskId: string, o: Partial<TaskRow> = {}): TaskRow => ({
  id: `db-${taskId}`,
  taskId,
  stage: taskId.split("_").slice(0, 2).join("_"),
  stageIndex: taskId.startsWith("Stage_2") ? 1 : 0,
  cores: 1,
  length: 10,
  state: "TMGR_SCHEDULING_PENDING",
  pilotId: null,
  attempt: 0,
  exitCode: null,
  ...o,
});
const pilot = (id: string, o: Partial<PilotRow> = {}): PilotRow => ({
  id,
  runId: "r",
  index: 0,
  resourceId: null,
  label: id,
  kind: "local",
  queue: null,
  project: null,
  cores: 2,
  nodes: 1,
  walltimeMinutes: 10,
  state: "PMGR_ACTIVE",
  reason: null,
  jobId: "1",
  sandbox: "/s",
  logOffset: 0,
  inboxSeq: 0,
  activeAt: null,
  submittedAt: null,
  cancelRequestedAt: null,
  ...o,
});
const rt = (deps: Record<string, string[]>): RunRuntime => ({
  runId: "r",
  dbIdOf: new Map(),
  taskIdOf: new Map(),
  consumers: new Map(),
  present: new Map(),
  lastPoll: new Map(),
  specs: new Map(Object.entries(deps).map(([k, d]) => [k, { dependsOn: d } as never])),
});

describe("engine decisions", () => {
  it("a task is ready when its producers are DONE and blocked when one failed", () => {
    const a = task("Stage_1_0", { state: "DONE" });
    const b = task("Stage_1_1", { state: "FAILED" });
    const c = task("Stage_2_0");
    const d = task("Stage_2_1");
    const by = new Map([a, b, c, d].map((t) => [t.taskId, t]));
    const r = readiness(rt({ Stage_2_0: ["Stage_1_0"], Stage_2_1: ["Stage_1_0", "Stage_1_1"] }), [c, d], by);
    expect(r.ready.map((t) => t.taskId)).toEqual(["Stage_2_0"]);
    expect(r.blocked.map((x) => [x.task.taskId, x.by])).toEqual([["Stage_2_1", "Stage_1_1"]]);
  });
  it("binds FIFO to pilots with free cores and lets small tasks backfill past a wide one", () => {
    const wide = task("Stage_1_0", { cores: 3 });
    const small = [task("Stage_1_1"), task("Stage_1_2"), task("Stage_1_3")];
    const b = bindLate(
      [wide, ...small],
      [
        { pilot: pilot("p1"), free: 2 },
        { pilot: pilot("p2"), free: 1 },
      ],
    );
    expect(b.get("p1")?.map((t) => t.taskId)).toEqual(["Stage_1_1", "Stage_1_2"]);
    expect(b.get("p2")?.map((t) => t.taskId)).toEqual(["Stage_1_3"]);
    expect(bindLate(small, [])).toEqual(new Map());
  });
  it("a dead pilot's unstarted tasks are rebound, running ones retried once, then failed", () => {
    const p = pilot("p1", { state: "FAILED", reason: "node crashed" });
    const v = onPilotEnded(
      p,
      [
        task("a", { state: "AGENT_STAGING_INPUT" }),
        task("b", { state: "AGENT_EXECUTING" }),
        task("c", { state: "AGENT_EXECUTING", attempt: 1 }),
      ],
      1,
    );
    expect(v.map((x) => x.action)).toEqual(["requeue", "retry", "fail"]);
    expect(v[0]?.reason).toBe("rebind: pilot p1 (0) ended FAILED: node crashed");
  });
  it("says why a run is stuck", () => {
    expect(stuckReason([pilot("p1", { state: "FAILED", reason: "rejected" })], [task("a")])).toMatch(
      /no pilot is left to run the 1 remaining task\(s\)\. p1: FAILED \(rejected\)/,
    );
    expect(stuckReason([pilot("p1")], [task("a", { cores: 4 })])).toBe(
      "a remaining task needs 4 cores but the largest live pilot has 2",
    );
    expect(stuckReason([pilot("p1", { state: "PMGR_ACTIVE_PENDING" })], [task("a")])).toBeNull();
  });
  it("reads an agent's own exit: draining is a normal end, a signal from outside a failure", () => {
    expect(agentExitState("drain_requested: the server asked")).toBe("DONE");
    expect(agentExitState("walltime: 30 s before the deadline")).toBe("DONE");
    expect(agentExitState("signal: the agent received SIGTERM")).toBe("FAILED");
    expect(agentExitState("conf_error: bad agent.conf")).toBe("FAILED");
  });
  it("a task the agent gave up on is retried while attempts remain, then FAILED; a bad record fails at once", () => {
    const p = pilot("hopper", { index: 2 });
    expect(onTaskGivenUp(p, task("a"), "lost", "its process is gone", 1)).toEqual({
      action: "retry",
      reason: "retry: the agent on pilot hopper (2) gave up on it (lost): its process is gone",
    });
    expect(onTaskGivenUp(p, task("a", { attempt: 1 }), "too_wide", "it needs 4 cores", 1)).toEqual({
      action: "fail",
      reason: "the agent on pilot hopper (2) gave up on it (too_wide): it needs 4 cores (no retries left)",
    });
    expect(onTaskGivenUp(p, task("a"), "bad_record", "mode is not time", 3).action).toBe("fail");
  });
});

describe("capacities with a measured rate", () => {
  const o = { share: 0.5, tickS: 0.5 };
  it("a fast agent gets its measured prefetch for short tasks", () => {
    const [c] = capacities(
      [pilot("p")],
      [task("Stage_1_0", { length: 0 })],
      new Map(),
      o,
      new Map([["p", 3000]]),
    );
    expect(c!.free).toBe(2 + 3000);
  });
  it("but not for long ones: a rate measured on no-op tasks does not bind a stage of 60 s tasks to one pilot", () => {
    const long = Array.from({ length: 100 }, (_, i) => task(`Stage_2_${i}`, { length: 60 }));
    const [c] = capacities([pilot("p")], long, new Map(), o, new Map([["p", 3000]]));
    // the static prefetch (share × cores) is what is left: 2 cores + 1
    expect(c!.free).toBe(3);
    expect(bindLate(long, [c!]).get("p")).toHaveLength(3);
  });
});
