import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEventOf } from "../lib/protocol/events";
import { parseHeartbeat } from "../lib/protocol/heartbeat";
import type { TInboxTaskInput } from "../lib/protocol/inbox";
import { count, killGroup, replayOccupancy, Sandbox, sleep } from "./harness";

// Real bash, real processes, a temporary sandbox per test; the agent ends with a drain file.
const open: { sb: Sandbox; pid: number }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    killGroup(o.pid);
    o.sb.remove();
  }
});

function run(conf: ConstructorParameters<typeof Sandbox>[0] = {}, env: Record<string, string> = {}) {
  const sb = new Sandbox(conf);
  const agent = sb.start(env);
  open.push({ sb, pid: agent.pid });
  return { sb, agent };
}

const syn = (
  taskId: string,
  over: Partial<Extract<TInboxTaskInput, { kind: "synthetic" }>> = {},
): TInboxTaskInput => ({
  kind: "synthetic",
  taskId,
  attempt: 0,
  cores: 1,
  type: "serial",
  mode: "time",
  length: 0,
  readBuffer: 65536,
  writeBuffer: 65536,
  interleave: 0,
  inputs: [],
  outputs: [],
  ...over,
});
const shell = (taskId: string, command: string, cores = 1): TInboxTaskInput => ({
  kind: "shell",
  taskId,
  attempt: 0,
  cores,
  command,
});

describe("agent start-up", () => {
  it("reports itself active with its allocation and keeps a heartbeat", async () => {
    const { sb, agent } = run({ cores: 3, heartbeatSeconds: 1 });
    const ev = await sb.until((e) => count(e, "agent_active") === 1);
    const a = ev[0] as AgentEventOf<"agent_active">;
    expect(a).toMatchObject({
      kind: "agent_active",
      pilotId: "pilot-test",
      cores: 3,
      source: "conf",
      launch: "fork",
      pid: agent.pid,
    });
    expect(a.nodes).toEqual([os.hostname()]);
    await sleep(300);
    const first = parseHeartbeat(readFileSync(sb.path("heartbeat"), "utf8"));
    expect(first).toMatchObject({ ok: true, heartbeat: { running: 0, queued: 0, freeCores: 3 } });
    await sleep(1300);
    const second = parseHeartbeat(readFileSync(sb.path("heartbeat"), "utf8"));
    expect(second.ok && first.ok && second.heartbeat.at - first.heartbeat.at).toBeGreaterThanOrEqual(900);
    sb.control("drain");
    expect(await agent.exited).toBe(0);
    expect(sb.of("agent_exit")).toMatchObject([{ reason: "drain_requested" }]);
    expect(sb.read().problems).toEqual([]);
  });
});

describe("running synthetic tasks", () => {
  it("runs 20 tasks on 2 cores: never more busy cores than it has, both used, outputs with exact sizes", async () => {
    const { sb, agent } = run({ cores: 2 });
    mkdirSync(sb.path("data"));
    writeFileSync(sb.path("data", "in-a"), Buffer.alloc(300_000, 7));
    writeFileSync(sb.path("data", "in-b"), Buffer.alloc(1000, 1));
    const tasks = Array.from({ length: 20 }, (_, i) =>
      syn(`t_${i}`, {
        workdir: "data",
        length: 0.05 + (i % 5) * 0.05,
        interleave: i % 4,
        readBuffer: 4096 + i * 1000,
        writeBuffer: 1000 + i * 777,
        mode: i % 7 === 6 ? "flops" : "time",
        ...(i % 7 === 6 ? { length: 20_000 } : {}),
        inputs: i % 3 === 0 ? ["in-a", "in-b"] : i % 3 === 1 ? [sb.path("data", "in-b")] : [],
        outputs: [
          { path: `out/s${i % 3}/o_${i}`, size: 12_345 + i * 101 },
          { path: `empty_${i}`, size: 0 },
        ],
      }),
    );
    sb.drop(tasks);
    const ev = await sb.until((e) => count(e, "task_done") === 20, 30_000, "20 tasks done");
    expect(ev.filter((e) => e.kind === "task_done").map((e) => e.exitCode)).toEqual(Array(20).fill(0));
    const occ = replayOccupancy(ev, 2);
    expect(occ.violations).toEqual([]);
    expect(occ.maxBusy).toBe(2);
    // times never go back, and every task ran at least its length
    const at = ev.map((e) => e.at);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    for (const d of ev.filter((e): e is AgentEventOf<"task_done"> => e.kind === "task_done")) {
      const t = tasks.find((x) => x.taskId === d.taskId)!;
      if (t.kind === "synthetic" && t.mode === "time")
        expect(d.durationMs).toBeGreaterThanOrEqual(t.length * 1000 - 5);
    }
    for (let i = 0; i < 20; i++) {
      expect(statSync(sb.path("data", "out", `s${i % 3}`, `o_${i}`)).size).toBe(12_345 + i * 101);
      expect(statSync(sb.path("data", `empty_${i}`)).size).toBe(0);
      expect(readFileSync(sb.path("tasks", `t_${i}.0`, "stdout"), "utf8")).toMatch(
        /synthetic task: \d inputs read/,
      );
      expect(readFileSync(sb.path("tasks", `t_${i}.0`, "stderr"), "utf8")).toBe(""); // dd kept quiet
    }
    sb.control("drain");
    expect(await agent.exited).toBe(0);
  });

  it("backfills: a task too wide for the free cores keeps its place while narrower ones start", async () => {
    const { sb } = run({ cores: 2 });
    sb.drop([
      syn("long", { length: 0.8 }),
      syn("wide", { cores: 2, length: 0.1 }),
      syn("small", { length: 0.1 }),
    ]);
    const ev = await sb.until((e) => count(e, "task_done") === 3, 15_000);
    const at = (kind: string, id: string) =>
      ev.findIndex((e) => e.kind === kind && (e as { taskId?: string }).taskId === id);
    // (two tasks started together report in the order their processes came up)
    expect(at("task_executing", "small")).toBeLessThan(at("task_done", "long"));
    expect(at("task_executing", "wide")).toBeGreaterThan(at("task_done", "long"));
    expect(at("task_executing", "wide")).toBeGreaterThan(at("task_done", "small"));
    expect(ev[at("task_executing", "wide")]).toMatchObject({ slots: [0, 1] });
  });

  it("reports a failing shell task with its exit code and keeps its stdout and stderr", async () => {
    const { sb } = run();
    sb.drop([
      shell("bad", "echo to-out; echo to-err >&2; exit 7"),
      shell("env", 'printf "%s %s %s\\n" "$EMANAGER_TASK_ID" "$EMANAGER_SLOTS" "$PWD"'),
    ]);
    const ev = await sb.until((e) => count(e, "task_done") === 2);
    expect(ev.find((e) => e.kind === "task_done" && e.taskId === "bad")).toMatchObject({ exitCode: 7 });
    expect(readFileSync(sb.path("tasks", "bad.0", "stdout"), "utf8")).toBe("to-out\n");
    expect(readFileSync(sb.path("tasks", "bad.0", "stderr"), "utf8")).toBe("to-err\n");
    const [id, slots, cwd] = readFileSync(sb.path("tasks", "env.0", "stdout"), "utf8")
      .trim()
      .split(" ");
    expect(id).toBe("env");
    expect(slots).toMatch(/^[01]$/);
    expect(cwd).toBe(sb.path("tasks", "env.0"));
  });

  it("a synthetic task whose input is missing exits 3 and says why", async () => {
    const { sb } = run();
    sb.drop([syn("noin", { inputs: ["nowhere/file"], outputs: [{ path: "o", size: 5 }] })]);
    const ev = await sb.until((e) => count(e, "task_done") === 1);
    expect(ev.find((e) => e.kind === "task_done")).toMatchObject({ taskId: "noin", exitCode: 3 });
    expect(readFileSync(sb.path("tasks", "noin.0", "stderr"), "utf8")).toContain(
      "cannot read input nowhere/file",
    );
    expect(existsSync(sb.path("tasks", "noin.0", "o"))).toBe(false);
  });

  it("a task whose working directory cannot be made fails to launch, with the reason", async () => {
    const { sb } = run();
    sb.drop([
      {
        kind: "shell",
        taskId: "nowhere",
        attempt: 0,
        cores: 1,
        workdir: "/proc/no-such-place",
        command: "true",
      },
    ]);
    const ev = await sb.until((e) => count(e, "task_failed") === 1);
    expect(ev.find((e) => e.kind === "task_failed")).toMatchObject({
      taskId: "nowhere",
      reason: "launch_error",
      exitStatus: 126,
      detail: "cannot enter the working directory /proc/no-such-place",
    });
  });

  it("takes hostile but valid names literally: no expansion, no globbing, no injection", async () => {
    const { sb } = run();
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), "em-abs-"));
    try {
      const names = [
        "with space/f i l e",
        "$(touch pwned)/x",
        "star*/?q[1]",
        `quote'"back\\slash`,
        "-dash",
        "ünïcødé/файл",
        "semi;colon&amp|pipe",
        path.join(elsewhere, "abs out"),
      ];
      sb.drop([
        syn("odd", { outputs: names.map((p, i) => ({ path: p, size: 100 + i })) }),
        shell("sh", "echo 'it is $HOME' \"$((6*7))\""),
      ]);
      const ev = await sb.until((e) => count(e, "task_done") === 2);
      expect(ev.filter((e) => e.kind === "task_done").map((e) => e.exitCode)).toEqual([0, 0]);
      names.forEach((p, i) =>
        expect(statSync(path.isAbsolute(p) ? p : sb.path("tasks", "odd.0", p)).size).toBe(100 + i),
      );
      expect(existsSync(sb.path("tasks", "odd.0", "pwned"))).toBe(false);
      expect(existsSync(sb.path("pwned"))).toBe(false);
      expect(readFileSync(sb.path("tasks", "sh.0", "stdout"), "utf8")).toBe("it is $HOME 42\n");
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("rejects what it cannot run, runs the rest, and reports each problem", async () => {
    const { sb } = run({ cores: 2 });
    sb.drop([syn("ok1"), syn("toowide", { cores: 3 })]);
    writeFileSync(
      sb.path("inbox", "batch-00000099.tsv"),
      [
        "garbage line",
        "v1\tshort\t0",
        "v1\tbadkind\t0\t1\t-\tpython\tx",
        "v1\tok1\t0\t1\t-\tshell\ttrue",
        "v1\tcount\t0\t1\t-\tsynthetic\tserial\ttime\t1\t1\t1\t0\t2\tonly-one\t0",
        "# a comment",
        "",
        "v1\tok2\t0\t1\t-\tshell\ttrue",
      ].join("\n") + "\n",
    );
    const ev = await sb.until(
      (e) => count(e, "task_done") === 2 && count(e, "inbox_error") === 2 && count(e, "task_failed") === 4,
    );
    expect(
      ev
        .filter((e) => e.kind === "task_done")
        .map((e) => e.taskId)
        .sort(),
    ).toEqual(["ok1", "ok2"]);
    const failed = Object.fromEntries(
      ev
        .filter((e): e is AgentEventOf<"task_failed"> => e.kind === "task_failed")
        .map((e) => [e.taskId, e.reason]),
    );
    expect(failed).toEqual({
      toowide: "too_wide",
      short: "bad_record",
      badkind: "bad_record",
      count: "bad_record",
    });
    const errs = ev.filter((e): e is AgentEventOf<"inbox_error"> => e.kind === "inbox_error");
    expect(errs.map((e) => [e.batch, e.line])).toEqual([
      ["batch-00000099.tsv", 1],
      ["batch-00000099.tsv", 4],
    ]);
    expect(errs[1]!.detail).toContain("received before");
    expect(existsSync(sb.path("inbox", "claimed", "batch-00000099.tsv"))).toBe(true);
  });
});
