import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEventOf } from "../lib/protocol/events";
import { renderInboxBatch, type TInboxTaskInput } from "../lib/protocol/inbox";
import { batchFile } from "../lib/protocol/sandbox";
import { count, killGroup, livingInGroups, Sandbox, sleep } from "./harness";

const open: { sb: Sandbox; pid: number }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    killGroup(o.pid);
    o.sb.remove();
  }
});

function run(conf: ConstructorParameters<typeof Sandbox>[0] = {}) {
  const sb = new Sandbox(conf);
  const agent = sb.start();
  open.push({ sb, pid: agent.pid });
  return { sb, agent };
}

const shell = (taskId: string, command: string, cores = 1): TInboxTaskInput => ({
  kind: "shell",
  taskId,
  attempt: 0,
  cores,
  command,
});
// a shell task that leaves a background child in its process group, the case that makes orphans
const stubborn = (taskId: string) => shell(taskId, "sleep 300 & sleep 301; wait");

const pidsOf = (sb: Sandbox) => sb.of("task_executing").map((e) => e.pid);

describe("control files", () => {
  it("cancel-<taskid> kills a running task's whole process group and a queued one never starts", async () => {
    const { sb } = run({ cores: 1 });
    sb.drop([stubborn("victim"), shell("queued", "true"), shell("later", "echo ran")]);
    await sb.until((e) => count(e, "task_executing") === 1);
    await sleep(200); // let the task's shell start its children
    const groups = pidsOf(sb);
    expect(livingInGroups(groups).length).toBeGreaterThanOrEqual(2);
    sb.control("cancel-victim");
    sb.control("cancel-queued");
    const ev = await sb.until((e) => count(e, "task_done") === 1 && count(e, "task_failed") === 2);
    const failed = ev.filter((e): e is AgentEventOf<"task_failed"> => e.kind === "task_failed");
    expect(failed.find((f) => f.taskId === "victim")).toMatchObject({ reason: "cancelled", exitStatus: 143 });
    expect(failed.find((f) => f.taskId === "queued")).toMatchObject({
      reason: "cancelled",
      exitStatus: null,
    });
    expect(ev.find((e) => e.kind === "task_done")).toMatchObject({ taskId: "later", exitCode: 0 });
    expect(livingInGroups(groups)).toEqual([]);
    expect(existsSync(sb.path("control", "cancel-victim"))).toBe(false); // consumed
  });

  it("drain: stops taking tasks, lets running ones finish, reports queued ones, then exits", async () => {
    const { sb, agent } = run({ cores: 1 });
    sb.drop([shell("running", "sleep 0.6"), shell("waiting", "true")]);
    await sb.until((e) => count(e, "task_executing") === 1);
    sb.control("drain");
    await sb.until((e) => count(e, "agent_draining") === 1);
    sb.drop([shell("too-late", "true")]);
    expect(await agent.exited).toBe(0);
    const ev = sb.read().events;
    const kinds = ev.map((e) =>
      e.kind.startsWith("task_")
        ? `${e.kind}:${(e as { taskId: string }).taskId}`
        : e.kind === "batch_read"
          ? `batch_read:${e.batch}:${e.lines}`
          : e.kind,
    );
    // the batch is acknowledged once read (batch_read, its file name and line count); the one dropped while draining is never read
    expect(kinds).toEqual([
      "agent_active",
      "task_received:running",
      "task_received:waiting",
      "batch_read:batch-00000000.tsv:2",
      "task_executing:running",
      "agent_draining",
      "task_failed:waiting",
      "task_done:running",
      "agent_exit",
    ]);
    expect(ev.find((e) => e.kind === "task_failed")).toMatchObject({ reason: "drained", exitStatus: null });
    expect(ev.at(-1)).toMatchObject({ kind: "agent_exit", reason: "drain_requested" });
    expect(readdirSync(sb.path("inbox")).filter((f) => f.startsWith("batch-"))).toEqual([
      "batch-00000001.tsv",
    ]); // never claimed
  });

  it("SIGTERM mid-task: running tasks are reported failed with the reason, agent_exit is written, nothing is left", async () => {
    const { sb, agent } = run({ cores: 2, killGraceSeconds: 2 });
    sb.drop([stubborn("a"), stubborn("b"), shell("c", "true")]);
    await sb.until((e) => count(e, "task_executing") === 2);
    await sleep(200);
    const groups = pidsOf(sb);
    expect(livingInGroups(groups).length).toBeGreaterThanOrEqual(4);
    process.kill(agent.pid, "SIGTERM");
    expect(await agent.exited).toBe(0);
    const ev = sb.read().events;
    const failed = ev.filter((e): e is AgentEventOf<"task_failed"> => e.kind === "task_failed");
    expect(failed.map((f) => [f.taskId, f.reason]).sort()).toEqual([
      ["a", "signal"],
      ["b", "signal"],
      ["c", "drained"],
    ]);
    for (const f of failed.filter((x) => x.taskId !== "c")) {
      expect(f.exitStatus).toBe(143);
      expect(f.detail).toContain("SIGTERM");
    }
    expect(ev.at(-1)).toMatchObject({ kind: "agent_exit", reason: "signal" });
    expect(livingInGroups([...groups, agent.pid])).toEqual([]);
  });

  it("SIGTERM to the whole job at once (as scancel sends it): a task killed by it is reported with the signal, never as done with 143", async () => {
    const { sb, agent } = run({ cores: 2, killGraceSeconds: 2 });
    sb.drop([shell("a", "sleep 300"), shell("b", "sleep 301")]);
    await sb.until((e) => count(e, "task_executing") === 2);
    await sleep(200);
    // the agent first, then its tasks' process groups, in the same instant
    process.kill(agent.pid, "SIGTERM");
    for (const pid of pidsOf(sb)) process.kill(-pid, "SIGTERM");
    expect(await agent.exited).toBe(0);
    const ev = sb.read().events;
    expect(ev.filter((e) => e.kind === "task_done")).toEqual([]);
    const failed = ev.filter((e): e is AgentEventOf<"task_failed"> => e.kind === "task_failed");
    expect(failed.map((f) => [f.taskId, f.reason, f.exitStatus]).sort()).toEqual([
      ["a", "signal", 143],
      ["b", "signal", 143],
    ]);
    expect(ev.at(-1)).toMatchObject({ kind: "agent_exit", reason: "signal" });
  });

  it("a task that ignores SIGTERM is killed after the grace period", async () => {
    const { sb, agent } = run({ cores: 1, killGraceSeconds: 1 });
    sb.drop([shell("deaf", "trap '' TERM; sleep 302 & wait; sleep 303")]);
    await sb.until((e) => count(e, "task_executing") === 1);
    await sleep(200);
    const t0 = Date.now();
    process.kill(agent.pid, "SIGTERM");
    expect(await agent.exited).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(sb.of("task_failed")).toMatchObject([{ taskId: "deaf", reason: "signal", exitStatus: 137 }]);
    expect(livingInGroups(pidsOf(sb))).toEqual([]);
  });

  it("drains on its own before the walltime, minus the margin", async () => {
    const { sb, agent } = run({ cores: 1, walltimeSeconds: 3, drainMarginSeconds: 1, killGraceSeconds: 1 });
    sb.drop([stubborn("long")]);
    const start = Date.now();
    expect(await agent.exited).toBe(0);
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThan(1500);
    expect(elapsed).toBeLessThan(3000);
    const ev = sb.read().events;
    expect(ev.find((e) => e.kind === "agent_draining")).toMatchObject({ reason: "walltime" });
    expect(ev.find((e) => e.kind === "task_failed")).toMatchObject({ taskId: "long", reason: "walltime" });
    expect(ev.at(-1)).toMatchObject({ kind: "agent_exit", reason: "walltime" });
    expect(livingInGroups(pidsOf(sb))).toEqual([]);
  });
});

describe("losing the spawner", () => {
  it("reports a task whose exit nobody saw as lost, starts a new spawner and goes on", async () => {
    const { sb, agent } = run({ cores: 1 });
    sb.drop([shell("orphan", "sleep 304")]);
    await sb.until((e) => count(e, "task_executing") === 1);
    const spawner = livingInGroups([agent.pid]).find(
      (p) => p !== agent.pid && readFileSync(`/proc/${p}/cmdline`, "utf8").includes("emanager-agent"),
    )!;
    expect(spawner).toBeDefined();
    process.kill(spawner, "SIGKILL");
    process.kill(-pidsOf(sb)[0]!, "SIGKILL");
    const ev = await sb.until((e) => count(e, "task_failed") === 1, 10_000);
    expect(ev.find((e) => e.kind === "task_failed")).toMatchObject({
      taskId: "orphan",
      reason: "lost",
      exitStatus: null,
    });
    sb.drop([shell("after", "echo fine")]);
    await sb.until((e) => count(e, "task_done") === 1, 10_000);
    expect(sb.of("task_done")).toMatchObject([{ taskId: "after", exitCode: 0 }]);
    expect(readFileSync(sb.path("bootstrap.log"), "utf8")).toContain("starting another");
  });
});

describe("inbox atomicity", () => {
  it("a batch written in pieces under its temp name is never read before the rename, then read whole once", async () => {
    const { sb } = run({ cores: 2, pollMs: 10 });
    const tasks = Array.from({ length: 40 }, (_, i) => shell(`piece_${i}`, "true"));
    const r = renderInboxBatch(tasks);
    if (!r.ok) throw new Error("bad batch");
    const { final, temp } = batchFile(7);
    const fd = openSync(sb.path(temp), "w");
    const bytes = Buffer.from(r.text);
    // cut mid-line on purpose, with the agent polling every 10 ms in between
    for (let off = 0; off < bytes.length; off += 97) {
      writeSync(fd, bytes.subarray(off, off + 97));
      await sleep(15);
    }
    closeSync(fd);
    await sleep(100);
    expect(sb.of("task_received")).toEqual([]);
    renameSync(sb.path(temp), sb.path(final));
    const ev = await sb.until((e) => count(e, "task_done") === 40);
    expect(count(ev, "task_received")).toBe(40);
    expect(count(ev, "inbox_error") + count(ev, "task_failed")).toBe(0);
    expect(
      new Set(ev.filter((e) => e.kind === "task_done").map((e) => (e as AgentEventOf<"task_done">).taskId))
        .size,
    ).toBe(40);
  });
});
