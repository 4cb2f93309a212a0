import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEventOf } from "../lib/protocol/events";
import type { TInboxTaskInput } from "../lib/protocol/inbox";
import { count, killGroup, Sandbox, sleep } from "./harness";

// Inline tasks (agent/README.md): a time-mode synthetic task with no files is waited out by the
// agent itself, with no process. It must behave like any task to the server: executing, then done
// after its length; cancelled, drained or signalled like one; never reported lost for lack of a
// process; and a task with a file still gets its own process.
const open: { sb: Sandbox; pid: number }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    killGroup(o.pid);
    o.sb.remove();
  }
});

function run(cores = 2) {
  const sb = new Sandbox({ cores });
  const agent = sb.start();
  open.push({ sb, pid: agent.pid });
  return { sb, agent };
}

const syn = (
  taskId: string,
  length: number,
  over: Partial<Extract<TInboxTaskInput, { kind: "synthetic" }>> = {},
): TInboxTaskInput => ({
  kind: "synthetic",
  taskId,
  attempt: 0,
  cores: 1,
  type: "serial",
  mode: "time",
  length,
  readBuffer: 65536,
  writeBuffer: 65536,
  interleave: 0,
  inputs: [],
  outputs: [],
  ...over,
});

const done = (sb: Sandbox) => sb.of("task_done") as AgentEventOf<"task_done">[];

describe("inline tasks", () => {
  it("run without a process: executing with the agent's pid, done after their length, no task directory", async () => {
    const { sb, agent } = run(2);
    sb.drop([
      syn("a", 0),
      syn("b", 0.3),
      syn("c", 0.3),
      syn("out", 0, { outputs: [{ path: "o/x", size: 5 }] }),
    ]);
    await sb.until((e) => count(e, "task_done") === 4);
    const exec = sb.of("task_executing");
    expect(exec.find((e) => e.taskId === "a")?.pid).toBe(agent.pid);
    const d = new Map(done(sb).map((e) => [e.taskId, e]));
    for (const id of ["a", "b", "c", "out"]) expect(d.get(id)?.exitCode, id).toBe(0);
    // b and c ran side by side on the 2 cores, each for its 0.3 s
    expect(d.get("b")!.durationMs).toBeGreaterThanOrEqual(300);
    expect(d.get("c")!.durationMs).toBeGreaterThanOrEqual(300);
    expect(existsSync(sb.path("tasks", "a.0"))).toBe(false);
    // a task with an output is a real process in its own directory, which holds the output
    expect(exec.find((e) => e.taskId === "out")?.pid).not.toBe(agent.pid);
    expect(existsSync(sb.path("tasks", "out.0", "o", "x"))).toBe(true);
  });

  it("a cancel ends a long inline task at once, as a cancelled task with status 143", async () => {
    const { sb } = run(1);
    sb.drop([syn("long", 300), syn("next", 0)]);
    await sb.until((e) => count(e, "task_executing") === 1);
    const t = Date.now();
    sb.control("cancel-long");
    await sb.until((e) => count(e, "task_failed") === 1 && count(e, "task_done") === 1);
    expect(Date.now() - t).toBeLessThan(5_000);
    const f = sb.of("task_failed") as AgentEventOf<"task_failed">[];
    expect(f[0]).toMatchObject({ taskId: "long", reason: "cancelled", exitStatus: 143 });
    expect(done(sb)[0]).toMatchObject({ taskId: "next", exitCode: 0 });
  });

  it("is not reported lost while it waits (no process to watch), and a drain waits for it", async () => {
    const { sb, agent } = run(1);
    sb.drop([syn("slow", 2.5)]);
    await sb.until((e) => count(e, "task_executing") === 1);
    await sleep(1_500); // past the agent's 1 s check of its running tasks
    sb.control("drain");
    const code = await agent.exited;
    expect(code).toBe(0);
    expect(sb.of("task_failed")).toEqual([]);
    expect(done(sb)[0]).toMatchObject({ taskId: "slow", exitCode: 0 });
    expect(done(sb)[0]!.durationMs).toBeGreaterThanOrEqual(2_500);
  });

  it("SIGTERM ends a running inline task as signalled, then the agent exits", async () => {
    const { sb, agent } = run(1);
    sb.drop([syn("sleeper", 300)]);
    await sb.until((e) => count(e, "task_executing") === 1);
    process.kill(agent.pid, "SIGTERM");
    await agent.exited;
    const f = sb.of("task_failed") as AgentEventOf<"task_failed">[];
    expect(f[0]).toMatchObject({ taskId: "sleeper", reason: "signal", exitStatus: 143 });
    expect(count(sb.read().events, "agent_exit")).toBe(1);
  });
});
