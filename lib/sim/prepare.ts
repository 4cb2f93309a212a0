import type { TaskRow } from "../engine/context";
import type { RunRuntime } from "../engine/runtime";
import { queueOrder, runtimeOf, taskRows } from "./adapter";
import type { SimInput } from "./types";

/** What depends only on the input, computed once for many simulations of it. */
export interface Prepared {
  input: SimInput;
  rt: RunRuntime;
  /** task indices in the engine's wait-queue order */
  order: Int32Array;
  rankOf: Int32Array;
  indexOf: Map<string, number>;
  consumers: Int32Array[];
  hasDeps: boolean;
  bytesIn: Float64Array;
  bytesOut: Float64Array;
  /** each task's length as the engine reads it (its mean over ready tasks sizes the prefetch) */
  lengths: Float64Array;
  /** seconds of each task on each pilot (flops converted with that pilot's rate) */
  seconds: Float64Array[];
  /** task rows reused from one simulation to the next (Monte Carlo runs them one after the other) */
  rows?: TaskRow[];
}

export function prepare(input: SimInput): Prepared {
  const w = input.workload;
  const runId = input.runId ?? "simulated";
  const rows = taskRows(w);
  const indexOf = new Map(w.tasks.map((t, i) => [t.id, i]));
  const ord = queueOrder(rows);
  const order = new Int32Array(w.tasks.length);
  const rankOf = new Int32Array(w.tasks.length);
  for (const [id, r] of ord) {
    order[r] = indexOf.get(id)!;
    rankOf[indexOf.get(id)!] = r;
  }
  const rt = runtimeOf(w, runId);
  const consumers = w.tasks.map((t) =>
    Int32Array.from((rt.consumers.get(t.id) ?? []).map((c) => indexOf.get(c)!)),
  );
  const sum = (fs: { size: number }[]) => fs.reduce((a, f) => a + f.size, 0);
  const seconds = input.pilots.map((p) =>
    Float64Array.from(w.tasks, (t) => {
      if (t.mode === "time") return t.length;
      if (!p.flopsPerCoreSecond)
        throw new Error(
          `task ${t.id} gives its length in FLOPs and ${p.label} has no FLOP rate to turn it into seconds`,
        );
      return t.length / (p.flopsPerCoreSecond * t.cores);
    }),
  );
  return {
    input,
    rt,
    order,
    rankOf,
    indexOf,
    consumers,
    hasDeps: w.tasks.some((t) => t.dependsOn.length > 0),
    bytesIn: Float64Array.from(w.tasks, (t) => sum(t.inputs)),
    bytesOut: Float64Array.from(w.tasks, (t) => sum(t.outputs)),
    lengths: Float64Array.from(rows, (r) => r.length),
    seconds,
  };
}

/** The task rows of a previous simulation, back in their first state. */
export function freshRows(prep: Prepared): TaskRow[] {
  if (!prep.rows) return taskRows(prep.input.workload);
  for (const r of prep.rows) {
    r.state = "TMGR_SCHEDULING_PENDING";
    r.pilotId = null;
    r.attempt = 0;
    r.exitCode = null;
  }
  return prep.rows;
}
