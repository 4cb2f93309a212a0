import { execFileSync } from "node:child_process";
import { count, killGroup, Sandbox } from "../../agent/harness";
import type { AgentEventOf } from "../../lib/protocol/events";
import type { TInboxTaskInput } from "../../lib/protocol/inbox";
import type { BenchRow } from "./types";

/**
 * The pilot agent alone (no server, no database): how soon it runs its first task, how soon
 * an idle agent picks up a new batch, and how many no-op tasks per second it gets through on
 * 2 cores, against `xargs -P 2` running `true` the same number of times in the same run.
 */
const noop = (i: number): TInboxTaskInput => ({
  kind: "synthetic",
  taskId: `n${i}`,
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
});
const trueTask = (i: number): TInboxTaskInput => ({
  kind: "shell",
  taskId: `s${i}`,
  attempt: 0,
  cores: 1,
  command: "true",
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function withAgent<T>(cores: number, fn: (sb: Sandbox, startedAt: number) => Promise<T>): Promise<T> {
  const sb = new Sandbox({ cores, pollMs: 100 });
  const t0 = Date.now();
  const agent = sb.start();
  try {
    return await fn(sb, t0);
  } finally {
    sb.control("drain");
    await Promise.race([agent.exited, new Promise((r) => setTimeout(r, 5000))]);
    killGroup(agent.pid);
    sb.remove();
  }
}

const firstExec = (sb: Sandbox) => sb.of("task_executing")[0]!.at;

/** Batch already in the inbox when the agent starts: spawn → first task_executing. */
async function startToFirstTask(): Promise<number> {
  const sb = new Sandbox({ cores: 2 });
  sb.drop([noop(0)]);
  const t0 = Date.now();
  const agent = sb.start();
  try {
    await sb.until((e) => count(e, "task_executing") === 1, 20_000);
    return firstExec(sb) - t0;
  } finally {
    sb.control("drain");
    await agent.exited;
    sb.remove();
  }
}

/** An idle, active agent: batch renamed into the inbox → task_executing (half the poll interval, on average). */
async function pickup(): Promise<number> {
  return withAgent(2, async (sb) => {
    await sb.until((e) => count(e, "agent_active") === 1, 20_000);
    await new Promise((r) => setTimeout(r, 150));
    const t = Date.now();
    sb.drop([noop(1)]);
    await sb.until((e) => count(e, "task_executing") === 1, 20_000);
    return firstExec(sb) - t;
  });
}

async function throughput(n: number, make: (i: number) => TInboxTaskInput): Promise<number> {
  return withAgent(2, async (sb) => {
    await sb.until((e) => count(e, "agent_active") === 1, 20_000);
    const t = Date.now();
    sb.drop(Array.from({ length: n }, (_, i) => make(i)));
    // (the log is read every 250 ms, so the reading costs the agent little CPU)
    const ev = await sb.until((e) => count(e, "task_done") === n, 600_000, `${n} tasks done`, 250);
    const last = Math.max(
      ...ev.filter((e): e is AgentEventOf<"task_done"> => e.kind === "task_done").map((e) => e.at),
    );
    return n / ((last - t) / 1000);
  });
}

function xargs(n: number): number {
  const t = performance.now();
  execFileSync("bash", ["-c", `seq ${n} | xargs -P 2 -n 1 true`]);
  return n / ((performance.now() - t) / 1000);
}

export async function bench(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_AGENT_TASKS ?? 500);
  const starts: number[] = [];
  const pickups: number[] = [];
  for (let i = 0; i < 5; i++) {
    starts.push(await startToFirstTask());
    pickups.push(await pickup());
  }
  const base = xargs(n);
  const syn = await throughput(n, noop);
  const sh = await throughput(n, trueTask);
  const base2 = xargs(n);
  const baseline = {
    label: `xargs -P 2 true ×${n}, same run (mean of 2)`,
    value: (base + base2) / 2,
    unit: "tasks/s",
  };
  return [
    {
      figure: "agent: start → first task executing (batch waiting, median of 5)",
      value: median(starts),
      unit: "ms",
    },
    {
      figure: "agent: idle agent, batch dropped → task executing (poll 100 ms, median of 5)",
      value: median(pickups),
      unit: "ms",
    },
    {
      figure: `agent: ${n} no-op synthetic tasks on 2 cores`,
      value: syn,
      unit: "tasks/s",
      baseline,
      ratio: syn / baseline.value,
      ratioNote: "share of xargs",
    },
    {
      figure: `agent: ${n} shell tasks \`true\` on 2 cores`,
      value: sh,
      unit: "tasks/s",
      baseline,
      ratio: sh / baseline.value,
      ratioNote: "share of xargs",
    },
  ];
}

// `npx tsx scripts/bench/agent.ts` prints the rows on their own
if (process.argv[1]?.endsWith("agent.ts")) {
  bench().then((rows) => {
    for (const r of rows)
      console.log(
        `${r.figure}: ${r.value.toFixed(1)} ${r.unit}${r.ratio !== undefined ? ` (${r.ratio.toFixed(2)} × ${r.baseline?.label}: ${r.baseline?.value.toFixed(1)})` : ""}`,
      );
  });
}
