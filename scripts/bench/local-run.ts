import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "../../lib/db/client";
import { createRun } from "../../lib/db/runs";
import type { Workload, WorkloadTask } from "../../lib/model/workload";
import { isRunFinal, isRunState } from "../../lib/states/run";

/**
 * One run on the `local` resource through the engine as the server runs it: the real loop
 * (lib/engine/loop.ts) at the server's tick settings, woken the way the server is woken, in this
 * process. What a user's `npm start` does, minus the web pages. Used by the throughput, cost and
 * database benchmarks (scripts/bench/*.ts), which compare it with baselines in the same run.
 */
export interface LocalRunResult {
  tasks: number;
  /** first engine tick → the run final (s) */
  seconds: number;
  /** the run's first task executing → its last task ended, from the event log (s) */
  makespan: number;
  /** CPU seconds of this process (the engine; the agent's bash processes are not counted) */
  cpuSeconds: number;
  /** database files after the run (bytes, main file + WAL) */
  dbBytes: number;
  /** peak resident set size of this process while the run ran (bytes) */
  peakRss: number;
  /** the pilot's ACTIVE → its last task ended (s): the pilot's own throughput, queue wait excluded */
  activeToLast: number;
  /** the pilot's ACTIVE → its first task executing (s) */
  activeToFirst: number;
  state: string;
}

export interface LocalRunOptions {
  tasks: number;
  cores: number;
  /** seconds each task runs (0: a no-op) */
  length?: number;
  /** a database URL; defaults to a new SQLite file in a new data directory */
  databaseUrl?: string;
  /** the pilot's walltime (default 600 minutes) */
  walltimeMinutes?: number;
  /** give up after this many seconds */
  timeoutS?: number;
  /** the engine's log lines (default: dropped) */
  log?: (m: string) => void;
  /** called with the database and the run once it has ended, before the database is closed */
  inspect?: (db: Db, runId: string) => Promise<void>;
  /** the resource to run on (default: `local`), made for the bench's user */
  resource?: (db: Db, userId: string) => Promise<BenchResource>;
}

export interface BenchResource {
  id: string;
  kind: string;
  label: string;
  queue: string | null;
}

function noopWorkload(n: number, length: number): Workload {
  const tasks: WorkloadTask[] = Array.from({ length: n }, (_, i) => ({
    id: `Stage_1_${i}`,
    stage: "Stage_1",
    stageIndex: 0,
    type: "serial",
    mode: "time" as const,
    cores: 1,
    length,
    readBuffer: 65536,
    writeBuffer: 65536,
    interleave: 0,
    inputs: [],
    outputs: [],
    dependsOn: [],
  }));
  return {
    name: "noop",
    seed: 0,
    stages: [{ name: "Stage_1", index: 0, taskIds: tasks.map((t) => t.id), dependsOn: [] }],
    tasks,
    warnings: [],
  };
}

function dirBytes(dir: string, prefix: string): number {
  let total = 0;
  for (const f of readdirSync(dir)) if (f.startsWith(prefix)) total += statSync(path.join(dir, f)).size;
  return total;
}

/** A user, its resource (`local` unless `o.resource` makes another) and a NEW run of `o.tasks` no-op tasks on one pilot; the run's id. */
export async function createNoopRun(db: Db, o: LocalRunOptions): Promise<string> {
  const u = await db.user.create({ data: { email: `bench-${Date.now()}@x`, passwordHash: "!" } });
  const res = o.resource
    ? await o.resource(db, u.id)
    : {
        ...(await db.resource.create({ data: { userId: u.id, label: "local", kind: "local" } })),
        queue: null,
      };
  const run = await createRun(db, {
    userId: u.id,
    name: `bench ${o.tasks}`,
    skeletonId: null,
    strategy: "adaptive",
    seed: 0,
    maxRetries: 0,
    workload: noopWorkload(o.tasks, o.length ?? 0),
    skeletonText: "",
    plan: {
      pilots: [
        {
          resourceId: res.id,
          resource: res.label,
          queue: res.queue,
          cores: o.cores,
          nodes: 1,
          walltimeMinutes: o.walltimeMinutes ?? 600,
          project: null,
        },
      ],
    },
    resourceKinds: { [res.id]: res.kind },
    resourcesSnapshot: [],
    now: new Date(),
  });
  return run.id;
}

/** Runs one local run to its end with the real engine loop; the data directory is removed after. */
export async function localRun(o: LocalRunOptions): Promise<LocalRunResult> {
  const data = mkdtempSync(path.join(os.tmpdir(), "em-bench-"));
  process.env.EMANAGER_DATA_DIR = data;
  const url = o.databaseUrl ?? `file:${path.join(data, "em.db")}`;
  const db = openDb(url);
  try {
    const runId = await createNoopRun(db, o);
    const { engineContext, engineTick } = await import("../../lib/engine/wiring");
    const { createLoop } = await import("../../lib/engine/loop");
    const { engineSettings } = await import("../../lib/engine/settings");
    const { waitForRun } = await import("../../lib/engine/bus");
    const ctx = engineContext(db, { log: o.log ?? (() => undefined) });
    const loop = createLoop({
      intervalMs: engineSettings().tickS * 1000,
      tick: async () => {
        const t = performance.now();
        await engineTick(ctx, [runId]);
        if (process.env.EM_TICK_DEBUG) {
          const c = await db.task.groupBy({ by: ["state"], where: { runId }, _count: true });
          console.error(
            `tick ${(performance.now() - t).toFixed(0)} ms`,
            c.map((x) => `${x.state}=${x._count}`).join(" "),
          );
        }
      },
    });
    const { onWake } = await import("../../lib/engine/wake");
    const unwake = onWake(() => loop.wake());
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    loop.start();
    let state = "NEW";
    const deadline = Date.now() + (o.timeoutS ?? 3600) * 1000;
    while (Date.now() < deadline) {
      await waitForRun(runId, 250);
      state = (await db.run.findUniqueOrThrow({ where: { id: runId }, select: { state: true } })).state;
      if (isRunState(state) && isRunFinal(state)) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    await loop.stop();
    unwake();
    const span = await db.event.aggregate({
      where: { runId, entity: "task", to: { in: ["AGENT_EXECUTING", "AGENT_STAGING_OUTPUT"] } },
      _min: { at: true },
      _max: { at: true },
    });
    const makespan =
      span._min.at && span._max.at ? (span._max.at.getTime() - span._min.at.getTime()) / 1000 : NaN;
    const active = await db.event.findFirst({
      where: { runId, entity: "pilot", to: "PMGR_ACTIVE" },
      select: { at: true },
    });
    const first = await db.event.findFirst({
      where: { runId, entity: "task", to: "AGENT_EXECUTING" },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    const activeToFirst = active && first ? (first.at.getTime() - active.at.getTime()) / 1000 : NaN;
    const activeToLast = active && span._max.at ? (span._max.at.getTime() - active.at.getTime()) / 1000 : NaN;
    const tasks = await db.task.count({ where: { runId, state: "DONE" } });
    await o.inspect?.(db, runId);
    await db.$disconnect();
    return {
      tasks,
      seconds,
      makespan,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      dbBytes: url.startsWith("file:") ? dirBytes(data, "em.db") : NaN,
      peakRss,
      activeToLast,
      activeToFirst,
      state,
    };
  } finally {
    await removeWhenQuiet(data);
  }
}

/** The released agent may still write its last lines for a moment: retry, then leave it to /tmp. */
async function removeWhenQuiet(dir: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

// `npx tsx scripts/bench/local-run.ts N [CORES] [LENGTH]`: one run, its figures as JSON
if (import.meta.url === `file://${process.argv[1]}`) {
  const [n, cores, length] = process.argv.slice(2).map(Number);
  localRun({ tasks: n || 1000, cores: cores || os.cpus().length, length: length || 0 }).then(
    (r) => {
      console.log(JSON.stringify({ ...r, tasksPerS: r.tasks / r.seconds }));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
