import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { pgRunWakeups } from "../../lib/db/run-wakeups";
import { freshPgDatabase } from "../../lib/test-support/pg";
import { localRun } from "./local-run";
import type { BenchRow } from "./types";

/**
 * PostgreSQL against SQLite, same run: N no-op tasks (10,000; BENCH_DB_TASKS to change) on one
 * local pilot through the engine's real loop, once on each database (scripts/bench/local-run.ts,
 * as the throughput bench); and the delivery latency of a wake-up
 * from one instance to another through PostgreSQL NOTIFY (median of 20, separate processes).
 * Needs the loopback PostgreSQL (scripts/cluster/pg-up.sh, root).
 */
/** One run through the real loop (local-run.ts) on `databaseUrl`; its seconds. */
async function timedRun(databaseUrl: string, n: number, cores: number): Promise<number> {
  const r = await localRun({ tasks: n, cores, databaseUrl });
  if (r.state !== "DONE") throw new Error(`the ${databaseUrl.split(":")[0]} run ended ${r.state}`);
  return r.seconds;
}

/** Send-to-receive times (ms) of `n` wake-ups from a child process to this one. */
async function deliveryLatencies(url: string, n: number): Promise<number[]> {
  const here = pgRunWakeups(url);
  const got = new Map<string, number>();
  here.listen((id) => got.set(id, performance.timeOrigin + performance.now()));
  await here.ready();
  const child = spawn("npx", ["--no-install", "tsx", "scripts/bench/notify-child.ts", String(n)], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const sent = new Map<string, number>();
  for await (const line of createInterface({ input: child.stdout! })) {
    const m = /^sent (\d+) ([\d.]+)$/.exec(line);
    if (m) sent.set(`bench-${m[1]}`, Number(m[2]));
  }
  await new Promise((r) => setTimeout(r, 500));
  await here.close();
  const lat = [...sent].map(([id, t]) => (got.get(id) ?? Number.POSITIVE_INFINITY) - t);
  if (lat.length !== n) throw new Error(`the notifying instance sent ${lat.length} of ${n}`);
  return lat.sort((a, b) => a - b);
}

export async function bench(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_DB_TASKS ?? 10_000);
  const cores = os.cpus().length;
  const sqlite = await timedRun(
    `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-bench-lite-")), "em.db")}`,
    n,
    cores,
  );
  const postgres = await timedRun(freshPgDatabase(), n, cores);
  const lat = await deliveryLatencies(freshPgDatabase(), 20);
  const median = (lat[9]! + lat[10]!) / 2;
  return [
    {
      figure: `local pilot on PostgreSQL: ${n.toLocaleString("en")} no-op tasks on ${cores} cores, end to end`,
      value: n / postgres,
      unit: "tasks/s",
      baseline: { label: "the same run on SQLite", value: n / sqlite, unit: "tasks/s" },
      ratio: sqlite / postgres,
      ratioNote: "PostgreSQL throughput as a share of SQLite's",
    },
    {
      figure: "wake-up from one instance to another (PostgreSQL NOTIFY, median of 20)",
      value: median,
      unit: "ms",
      baseline: { label: "the live page's poll interval", value: 1000, unit: "ms" },
      ratio: median / 1000,
      budget: "< 3 s",
    },
  ];
}
