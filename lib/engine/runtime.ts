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

const g = globalThis as unknown as { __emanagerRuntimes?: Map<string, RunRuntime> };
function cache(): Map<string, RunRuntime> {
  g.__emanagerRuntimes ??= new Map();
  return g.__emanagerRuntimes;
}

export async function runtimeFor(db: Db, runId: string): Promise<RunRuntime> {
  const hit = cache().get(runId);
  if (hit) return hit;
  const rows = await db.task.findMany({
    where: { runId },
    select: { id: true, taskId: true, spec: true, state: true, pilotId: true },
  });
  const rt: RunRuntime = {
    runId,
    specs: new Map(),
    dbIdOf: new Map(),
    taskIdOf: new Map(),
    consumers: new Map(),
    present: new Map(),
    lastPoll: new Map(),
  };
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
  }
  cache().set(runId, rt);
  return rt;
}

export function forgetRuntime(runId: string): void {
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
