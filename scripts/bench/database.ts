import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { openDb } from "../../lib/db/client";
import { pgRunWakeups } from "../../lib/db/run-wakeups";
import { createRun } from "../../lib/db/runs";
import type { Workload } from "../../lib/model/workload";
import { freshPgDatabase } from "../../lib/test-support/pg";
import type { BenchRow } from "./types";

/**
 * PostgreSQL against SQLite, same run: N no-op tasks (2,000; 10,000 with BENCH_FULL=1) on one
 * local pilot through the whole engine, once on each database (the same drive as the
 * local-throughput bench, which has no database parameter); and the delivery latency of a wake-up
 * from one instance to another through PostgreSQL NOTIFY (median of 20, separate processes).
 * Needs the loopback PostgreSQL (scripts/cluster/pg-up.sh, root).
 */
async function localRun(dbUrl: string, n: number, cores: number): Promise<number> {
  const data = mkdtempSync(path.join(os.tmpdir(), "em-bench-db-"));
  process.env.EMANAGER_DATA_DIR = data;
  const { engineContext, engineTick } = await import("../../lib/engine/wiring");
  const db = openDb(dbUrl);
  const u = await db.user.create({ data: { email: "bench@x", passwordHash: "!" } });
  const res = await db.resource.create({ data: { userId: u.id, label: "local", kind: "local" } });
  const tasks = Array.from({ length: n }, (_, i) => ({
    id: `Stage_1_${i}`,
    stage: "Stage_1",
    stageIndex: 0,
    type: "serial",
    mode: "time" as const,
    cores: 1,
    length: 0,
    readBuffer: 65536,
    writeBuffer: 65536,
    interleave: 0,
    inputs: [],
    outputs: [],
    dependsOn: [],
  }));
  const w: Workload = {
    name: "noop",
    seed: 0,
    stages: [{ name: "Stage_1", index: 0, taskIds: tasks.map((t) => t.id), dependsOn: [] }],
    tasks,
    warnings: [],
  };
  const pilot = {
    resourceId: res.id,
    resource: "local",
    queue: null,
    cores,
    nodes: 1,
    walltimeMinutes: 60,
    project: null,
  };
  const run = await createRun(db, {
    userId: u.id,
    name: "bench",
    skeletonId: null,
    strategy: "adaptive",
    seed: 0,
    maxRetries: 0,
    workload: w,
    skeletonText: "",
    plan: { pilots: [pilot] },
    resourceKinds: { [res.id]: "local" },
    resourcesSnapshot: [],
    now: new Date(),
  });
  const ctx = engineContext(db, { log: () => undefined });
  const t0 = performance.now();
  for (;;) {
    await engineTick(ctx, [run.id]);
    const st = (await db.run.findUniqueOrThrow({ where: { id: run.id }, select: { state: true } })).state;
    if (st !== "NEW" && st !== "ACTIVE") {
      if (st !== "DONE") throw new Error(`the ${dbUrl.split(":")[0]} run ended ${st}`);
      break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await db.$disconnect();
  return seconds;
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
  const n = process.env.BENCH_FULL === "1" ? 10_000 : 2_000;
  const cores = os.cpus().length;
  const sqlite = await localRun(
    `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-bench-lite-")), "em.db")}`,
    n,
    cores,
  );
  const postgres = await localRun(freshPgDatabase(), n, cores);
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
