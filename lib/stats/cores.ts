import type { Interval } from "./intervals";

/** A stretch of time during which `cores` cores of one pilot are in one use. */
export interface CoreUse {
  start: number;
  end: number;
  cores: number;
}

export interface CoreSplit {
  provided: number;
  application: number;
  system: number;
  idle: number;
}

/**
 * How one pilot's cores were spent while it was active (core-ms), radical.analytics' U_a / U_s /
 * U_i with A_r = cores × active time. At every instant: application = cores executing a task
 * (at most the pilot's cores); system = cores a bound task holds while it is not executing
 * (staging in, handed to the agent), but only as many as are not executing: a task queued in
 * the agent behind busy cores holds no core, so it counts nothing; idle = the rest. The three
 * sum to `provided` exactly, by construction (a sweep over the change points, O(n log n)).
 */
export function splitCores(
  active: Interval | null,
  cores: number,
  executing: readonly CoreUse[],
  bound: readonly CoreUse[],
): CoreSplit {
  if (!active || !(active[1] > active[0]) || cores <= 0)
    return { provided: 0, application: 0, system: 0, idle: 0 };
  const [a, b] = active;
  // change points: +cores at start, −cores at end, clipped to the active interval
  const deltas: { at: number; exec: number; held: number }[] = [];
  const add = (u: CoreUse, kind: "exec" | "held") => {
    const s = Math.max(a, u.start);
    const e = Math.min(b, u.end);
    if (!(e > s) || !(u.cores > 0)) return;
    deltas.push({ at: s, exec: kind === "exec" ? u.cores : 0, held: kind === "held" ? u.cores : 0 });
    deltas.push({ at: e, exec: kind === "exec" ? -u.cores : 0, held: kind === "held" ? -u.cores : 0 });
  };
  for (const u of executing) add(u, "exec");
  for (const u of bound) add(u, "held");
  deltas.sort((x, y) => x.at - y.at);
  let exec = 0;
  let held = 0;
  let t = a;
  let application = 0;
  let system = 0;
  for (const d of deltas) {
    if (d.at > t) {
      const busy = Math.min(cores, exec);
      application += busy * (d.at - t);
      system += Math.min(held, cores - busy) * (d.at - t);
      t = d.at;
    }
    exec += d.exec;
    held += d.held;
  }
  const provided = cores * (b - a);
  return { provided, application, system, idle: Math.max(0, provided - application - system) };
}
