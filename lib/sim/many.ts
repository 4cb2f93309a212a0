import { seededRng } from "../skeleton/rng";
import { taskRows } from "./adapter";
import { prepare, simulateRun } from "./run";
import type { SimInput, Terms } from "./types";

/**
 * Monte Carlo over `simulateRun`: `n` runs, each with its own random stream derived from the
 * seed (so run i is the same whatever n is). TTC quantiles are over the runs that finished;
 * the ones that failed (no pilot started, walltime too short with no retries left…) are counted
 * in `failShare` with their most common reasons.
 */
export interface SimSummary {
  runs: number;
  /** seconds, over finished runs; null when none finished */
  median: number | null;
  p10: number | null;
  p90: number | null;
  mean: number | null;
  failShare: number;
  failures: { reason: string; count: number }[];
  coreHours: { median: number; p90: number };
  /** median of each term over finished runs */
  terms: Terms;
}

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function simulateMany(input: SimInput, n: number, seed: number): SimSummary {
  const prep = prepare({ ...input, record: false });
  prep.rows = taskRows(input.workload);
  const ttc: number[] = [];
  const core: number[] = [];
  const terms: Record<keyof Terms, number[]> = {
    queueWait: [],
    startup: [],
    execution: [],
    staging: [],
    overhead: [],
  };
  const reasons = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = simulateRun(prep.input, seededRng(seed, `sim:${i}`), prep);
    core.push(r.coreHours);
    if (r.failed) {
      // the reason without its counts, so that "12 remaining" and "3 remaining" group together
      const key = r.failed.replace(/\d+/g, "N");
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
      continue;
    }
    ttc.push(r.ttc);
    for (const k of Object.keys(terms) as (keyof Terms)[]) terms[k].push(r.terms[k]);
  }
  const s = Float64Array.from(ttc).sort();
  const med = (xs: number[]) => quantile(Float64Array.from(xs).sort(), 0.5);
  const cs = Float64Array.from(core).sort();
  const ok = s.length > 0;
  return {
    runs: n,
    median: ok ? quantile(s, 0.5) : null,
    p10: ok ? quantile(s, 0.1) : null,
    p90: ok ? quantile(s, 0.9) : null,
    mean: ok ? ttc.reduce((a, b) => a + b, 0) / ttc.length : null,
    failShare: n > 0 ? (n - ttc.length) / n : 0,
    failures: [...reasons]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([reason, count]) => ({ reason, count })),
    coreHours: { median: quantile(cs, 0.5), p90: quantile(cs, 0.9) },
    terms: {
      queueWait: ok ? med(terms.queueWait) : 0,
      startup: ok ? med(terms.startup) : 0,
      execution: ok ? med(terms.execution) : 0,
      staging: ok ? med(terms.staging) : 0,
      overhead: ok ? med(terms.overhead) : 0,
    },
  };
}
