import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import type { TrailEntry } from "./types";

/**
 * `Task_Mode = flops` gives a task's length as a FLOP count (the original's task program runs
 * that many additions per process), not seconds. The planner's formulas need seconds, so each
 * resource needs a rate in FLOP per core-second, given with the plan (Policy.flopsPerCoreSecond,
 * by resource id or label). The workload is converted once with the slowest rate among the
 * chosen resources, so a walltime sized by it suffices wherever the pilot lands. Without a rate
 * for every resource the plan is refused with a message that says what to give.
 */
export type FlopsResult =
  { ok: true; workload: Workload; trail: TrailEntry[] } | { ok: false; message: string };

export function flopsToSeconds(
  w: Workload,
  resources: readonly ResourceSnapshot[],
  rates: Readonly<Record<string, number>> = {},
): FlopsResult {
  let maxFlops = 0;
  let count = 0;
  for (const t of w.tasks)
    if (t.mode === "flops") {
      count += 1;
      maxFlops = Math.max(maxFlops, t.length);
    }
  if (count === 0) return { ok: true, workload: w, trail: [] };
  const rateOf = (r: ResourceSnapshot) => rates[r.resourceId] ?? rates[r.label];
  const missing = resources.filter((r) => {
    const x = rateOf(r);
    return !(typeof x === "number" && Number.isFinite(x) && x > 0);
  });
  if (missing.length) {
    return {
      ok: false,
      message: `${count} task(s) give their length in FLOPs (Task_Mode = flops, up to ${maxFlops.toExponential(2)}), and EManager does not know how fast ${missing.map((r) => r.label).join(", ")} ${missing.length === 1 ? "computes" : "compute"}: give a rate in FLOP per core-second for ${missing.length === 1 ? "it" : "each"} (the plan's flops rate, e.g. 1e9), or write the lengths in seconds`,
    };
  }
  const slowest = resources.reduce((a, r) => (rateOf(r)! < rateOf(a)! ? r : a));
  const rate = rateOf(slowest)!;
  const tasks = w.tasks.map((t) =>
    t.mode === "flops" ? { ...t, mode: "time" as const, length: t.length / rate } : t,
  );
  const trail: TrailEntry[] = [
    {
      label: "F01",
      title: "FLOP counts as seconds",
      value: `${count} task(s): length / ${rate.toExponential(2)} FLOP per core-second`,
      formula: "seconds = FLOPs / rate of the slowest chosen resource (each process does the task's FLOPs)",
      inputs: {
        ...Object.fromEntries(resources.map((r) => [`${r.label} rate`, rateOf(r)!])),
        "largest FLOPs": maxFlops,
        "its seconds": Number((maxFlops / rate).toFixed(2)),
      },
    },
  ];
  return { ok: true, workload: { ...w, tasks }, trail };
}
