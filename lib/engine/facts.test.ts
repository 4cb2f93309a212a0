import { describe, expect, it } from "vitest";
import { parseAgentFacts } from "./facts";

const line = (at: number, ...fields: (string | number)[]) => `v1\t${at}\t${fields.join("\t")}\n`;

describe("agent facts: a task that died with its pilot", () => {
  it("drops a task_done with a signal's status read just before the agent drained for a signal (scancel signals the whole job)", () => {
    const log =
      line(1_000, "task_done", "ok", 0, 0, 500) +
      line(9_000, "task_done", "failed", 0, 1, 500) +
      line(9_500, "task_done", "killed", 0, 143, 500) +
      line(9_600, "agent_draining", "signal", "the agent received SIGTERM");
    const r = parseAgentFacts(log, 0);
    expect(r.facts.map((f) => (f.kind === "task_done" ? `${f.taskId} ${f.exitCode}` : f.kind))).toEqual([
      "ok 0",
      "failed 1",
      "agent_draining",
    ]);
    expect(r.problems).toEqual([
      "task killed attempt 0 ended by a signal (exit 143) as the agent got its own: handled with the pilot",
    ]);
  });

  it("keeps it when the agent did not drain for a signal, or the death came long before", () => {
    const walltime =
      line(9_500, "task_done", "killed", 0, 143, 500) + line(9_600, "agent_draining", "walltime", "walltime");
    expect(parseAgentFacts(walltime, 0).facts.filter((f) => f.kind === "task_done")).toHaveLength(1);
    const early =
      line(1_000, "task_done", "killed", 0, 137, 500) + line(9_600, "agent_draining", "signal", "SIGTERM");
    expect(parseAgentFacts(early, 0).facts.filter((f) => f.kind === "task_done")).toHaveLength(1);
    const alone = line(9_500, "task_done", "killed", 0, 143, 500);
    expect(parseAgentFacts(alone, 0).facts).toHaveLength(1);
  });
});
