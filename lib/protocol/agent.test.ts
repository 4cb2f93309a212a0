import { describe, expect, it } from "vitest";
import type { AgentTask } from "./agent";
import { parseEventLog, renderInboxBatch } from "./agent";
import { renderEventLine } from "./events";

// The engine's adapter: AgentTask in (files under the sandbox's data/), AgentFact out.
const TASK: AgentTask = {
  taskId: "Stage_2_0",
  attempt: 1,
  cores: 2,
  type: "serial",
  mode: "time",
  length: 2.25,
  readBuffer: 4096,
  writeBuffer: 8192,
  interleave: 1,
  inputs: ["Stage_1_Output/Stage_1_Output_0_1"],
  outputs: [{ path: "Stage_2_Output/Stage_2_Output_0_1", size: 20000 }],
};

describe("engine adapter", () => {
  it("hands the engine's tasks to the agent to run in data/", () => {
    expect(renderInboxBatch([TASK])).toBe(
      "v1\tStage_2_0\t1\t2\tdata\tsynthetic\tserial\ttime\t2.25\t4096\t8192\t1\t1\tStage_1_Output/Stage_1_Output_0_1\t1\tStage_2_Output/Stage_2_Output_0_1\t20000\n",
    );
    expect(() => renderInboxBatch([{ ...TASK, taskId: "bad id" }])).toThrow(/bad id/);
  });

  it("turns events into the engine's facts; what it cannot carry becomes a log line", () => {
    const log = [
      renderEventLine({
        kind: "agent_active",
        at: 1,
        pilotId: "p",
        hostname: "h",
        nodes: ["h"],
        cores: 2,
        source: "conf",
        launch: "fork",
        pid: 9,
        bash: "5",
      }),
      renderEventLine({ kind: "task_received", at: 2, taskId: "a", attempt: 0, cores: 1 }),
      renderEventLine({
        kind: "task_executing",
        at: 3,
        taskId: "a",
        attempt: 0,
        slots: [1],
        hosts: ["h"],
        pid: 10,
      }),
      renderEventLine({
        kind: "task_failed",
        at: 4,
        taskId: "a",
        attempt: 0,
        reason: "cancelled",
        exitStatus: 143,
        detail: "cancelled by the server",
      }),
      renderEventLine({
        kind: "task_failed",
        at: 5,
        taskId: "b",
        attempt: 0,
        reason: "too_wide",
        exitStatus: null,
        detail: "it needs 9 cores",
      }),
      renderEventLine({
        kind: "task_failed",
        at: 6,
        taskId: "c",
        attempt: 0,
        reason: "signal",
        exitStatus: 143,
        detail: "killed",
      }),
      renderEventLine({ kind: "agent_exit", at: 7, reason: "signal", detail: "the agent received SIGTERM" }),
      "garbage\n",
    ].join("");
    const r = parseEventLog(Buffer.from(log), 0);
    expect(r.facts).toEqual([
      { kind: "agent_active", at: 1, cores: 2, nodes: ["h"] },
      { kind: "task_executing", at: 3, taskId: "a", attempt: 0, slots: [1] },
      { kind: "task_done", at: 4, taskId: "a", attempt: 0, exitCode: 143 },
      { kind: "agent_exit", at: 7, reason: "signal: the agent received SIGTERM" },
    ]);
    expect(r.problems).toHaveLength(3);
    expect(r.problems[0]).toContain("garbage");
    expect(r.problems[1]).toContain("task b attempt 0 failed on the agent (too_wide)");
    expect(r.nextOffset).toBe(Buffer.byteLength(log));
  });
});
