import type { WorkloadTask } from "../model/workload";
import type { Db } from "../db/client";
import { parseTaskSpec } from "./rows";

/**
 * What the engine keeps in memory for a run it drives: the task specs (parsed once), the
 * dependency index, and which files each pilot's sandbox already holds. All of it can be
 * rebuilt from the database, which is what happens when a restarted server adopts a run.
 */
export interface RunRuntime {
  runId: string;
  specs: Map<string, WorkloadTask>;
  /** database id → skeleton task id, and back */
  dbIdOf: Map<string, string>;
  taskIdOf: Map<string, string>;
  /** skeleton task id → ids of the tasks that read its outputs */
  consumers: Map<string, string[]>;
  /** pilot id → relative paths present in its sandbox data directory */
  present: Map<string, Set<string>>;
  /** pilot id → time of the last batch status poll (ms) */
  lastPoll: Map<string, number>;
}

/** What the engine adds for throughput (the simulator builds a RunRuntime without these). */
export interface LiveRuntime extends RunRuntime {
  /** database id → place in binding order (stage, then task order; decide.ts bindLate) */
  rank: Map<string, number>;
  /** the wait queue as last read (queue.ts): a hint, always checked against the database */
  queue: BindQueue;
  /** pilot id → how fast its agent finishes tasks (prefetch.ts) */
  rates: Map<string, PilotRate>;
  /** pilot id → stops the watch on its sandbox (driver.ts: the engine wakes when an agent writes) */
  watches: Map<string, () => void>;
}

/**
 * Database ids of the tasks waiting to be bound, in binding order, as last read from the
 * database. Only the engine holding a run's lease moves its tasks, so the hint stays true
 * between reads; each tick still checks the ids it takes against the database, so a stale
 * entry is skipped, and a task missing from the hint is found when the queue is read again
 * (after every move back to the wait queue, and whenever the hint runs out: queue.ts).
 */
export interface BindQueue {
  ids: string[];
  head: number;
  gone: Set<string>;
  /** read the database again before the next use */
  stale: boolean;
  readAt: number;
}

export interface PilotRate {
  /** tasks finished per second, smoothed */
  perS: number;
  /** when the last finished task was counted (ms) */
  at: number;
}

/** The wait queue must be read again (a task went back to it, or a run started). */
export function requeue(rt: LiveRuntime): void {
  rt.queue.stale = true;
}

const g = globalThis as unknown as { __emanagerRuntimes?: Map<string, LiveRuntime> };
function cache(): Map<string, LiveRuntime> {
  g.__emanagerRuntimes ??= new Map();
  return g.__emanagerRuntimes;
}

export async function runtimeFor(db: Db, runId: string): Promise<LiveRuntime> {
  const hit = cache().get(runId);
  if (hit) return hit;
  const rows = await db.task.findMany({
    where: { runId },
    select: { id: true, taskId: true, spec: true, state: true, pilotId: true },
  });
  const rt: LiveRuntime = {
    runId,
    specs: new Map(),
    dbIdOf: new Map(),
    taskIdOf: new Map(),
    consumers: new Map(),
    present: new Map(),
    lastPoll: new Map(),
    rank: new Map(),
    queue: { ids: [], head: 0, gone: new Set(), stale: true, readAt: 0 },
    rates: new Map(),
    watches: new Map(),
  };
  const order: { id: string; stage: number; taskId: string }[] = [];
  for (const r of rows) {
    const spec = parseTaskSpec(r.spec);
    rt.specs.set(r.taskId, spec);
    rt.dbIdOf.set(r.taskId, r.id);
    rt.taskIdOf.set(r.id, r.taskId);
    for (const dep of spec.dependsOn) {
      const list = rt.consumers.get(dep) ?? [];
      list.push(r.taskId);
      rt.consumers.set(dep, list);
    }
    // outputs of tasks that finished on a pilot are in that pilot's sandbox
    if (r.state === "DONE" && r.pilotId) {
      const set = rt.present.get(r.pilotId) ?? new Set<string>();
      for (const o of spec.outputs) set.add(o.path);
      rt.present.set(r.pilotId, set);
    }
    order.push({ id: r.id, stage: spec.stageIndex, taskId: r.taskId });
  }
  // one collator, not localeCompare per pair: 100,000 tasks sort in a fraction of a second
  const byName = new Intl.Collator("en", { numeric: true }).compare;
  order.sort((a, b) => a.stage - b.stage || byName(a.taskId, b.taskId));
  order.forEach((o, i) => rt.rank.set(o.id, i));
  cache().set(runId, rt);
  return rt;
}

export function forgetRuntime(runId: string): void {
  for (const stop of cache().get(runId)?.watches.values() ?? []) stop();
  cache().delete(runId);
}

export function presentOn(rt: RunRuntime, pilotId: string): Set<string> {
  let s = rt.present.get(pilotId);
  if (!s) {
    s = new Set();
    rt.present.set(pilotId, s);
  }
  return s;
}
