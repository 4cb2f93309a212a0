import type { AimesData, RunRow } from "./aimes-data";
import type { Fitted } from "./aimes-fit";
import { quantile, simulateMany, type SimSummary } from "./many";
import { seriesModel, studyInput, type SeriesModel } from "./series-model";

/**
 * Validation items 2 and 3 (issue 15) over a data set of the AIMES form: per series and bag
 * size, the plan the original would make (aimes) and EManager's (adaptive), both simulated with
 * queue waits drawn from what that series measured, against the measured TTC range.
 */

export interface MeasuredScale {
  series: string;
  n: number;
  runs: number;
  median: number;
  min: number;
  max: number;
}

export function measured(d: AimesData, series: string, n: number): MeasuredScale | null {
  const xs = d.runs.filter((r) => r.series === series && r.n_tasks === n).map((r) => r.ttc_s);
  if (xs.length === 0) return null;
  const s = Float64Array.from(xs).sort();
  return { series, n, runs: xs.length, median: quantile(s, 0.5), min: s[0]!, max: s[s.length - 1]! };
}

export interface DistributionRow extends MeasuredScale {
  sim: SimSummary | null;
  /** the pilots the waits were drawn from */
  scope: string;
  inside: boolean;
  note: string;
}

export function distributionRow(
  d: AimesData,
  fit: Fitted,
  series: string,
  n: number,
  runs: number,
  seed: number,
): DistributionRow | null {
  const meas = measured(d, series, n);
  const m = seriesModel(d, series, n);
  if (!meas || !m) return null;
  const row = d.runs.find((r) => r.series === series)!;
  const input = studyInput("aimes", m, row, n, fit);
  if ("error" in input) return { ...meas, sim: null, inside: false, scope: m.scope, note: input.error };
  const sim = simulateMany(input, runs, seed);
  const inside = sim.median !== null && sim.median >= meas.min && sim.median <= meas.max;
  return {
    ...meas,
    sim,
    inside,
    scope: m.scope,
    note: inside ? "" : whyOutside(d, fit, series, n, sim, meas, m),
  };
}

function whyOutside(
  d: AimesData,
  fit: Fitted,
  series: string,
  n: number,
  sim: SimSummary,
  meas: MeasuredScale,
  m: SeriesModel,
): string {
  if (sim.median === null) return "no simulated run finished";
  const runs = d.runs.filter((r) => r.series === series && r.n_tasks === n);
  const notDone = runs.filter(
    (r) =>
      r.all_tasks_done === "false" && r.t_last_task_done_s !== null && r.ttc_s - r.t_last_task_done_s > 300,
  );
  if (notDone.length * 2 >= runs.length) {
    // what those runs took to do the work: last task Done + the fitted end of a run
    const done = notDone.map((r) => r.t_last_task_done_s! + fit.endS).sort((a, b) => a - b);
    const lo = done[0]!;
    const hi = done[done.length - 1]!;
    const vs = sim.median >= lo && sim.median <= hi ? "inside" : "outside";
    return (
      `the measured TTC is not a completion time in ${notDone.length} of ${runs.length} runs (tasks left in output staging until the pilot's walltime expired; data README caveat 2): ` +
      `their work was done at ${Math.round(lo)}–${Math.round(hi)} s (last task Done + ${Math.round(fit.endS)} s), and the simulated median is ${vs} that range`
    );
  }
  if (!m.scope.endsWith(`${n} tasks`)) {
    const cores = Math.ceil(n / m.resources.length);
    const used = runs
      .map((r) => r.n_pilots_used_repo)
      .filter((x): x is number => x !== null && x !== undefined);
    const fewer = used.filter((k) => k < m.resources.length).length;
    const sizes = d.runs
      .filter((r) => r.series === series)
      .flatMap((r) => (d.pilotsByRun.get(r.run_key) ?? []).map((p) => p.cores));
    const minC = sizes.reduce((a, b) => Math.min(a, b), Infinity);
    const maxC = sizes.reduce((a, b) => Math.max(a, b), 0);
    return (
      `no pilot data at this size (no session survives): waits drawn from the series' pilots of ${minC}–${maxC} cores, ` +
      `whose waits give simulated runs of ${Math.round(sim.p10!)}–${Math.round(sim.p90!)} s (p10–p90); yet ${fewer} of ${used.length} measured runs ran their tasks on fewer pilots (${used.join(", ")} of ${m.resources.length}) ` +
      `and took ${Math.round(meas.min)}–${Math.round(meas.max)} s: their ${cores}-core pilots waited far longer than any smaller pilot of the series, which no measured wait here describes`
    );
  }
  const off = sim.median < meas.min ? meas.min - sim.median : sim.median - meas.max;
  const edge = sim.median < meas.min ? meas.min : meas.max;
  return `simulated median ${Math.round(off)} s (${((off / edge) * 100).toFixed(1)} %) ${sim.median < meas.min ? "below the measured minimum" : "above the measured maximum"} of a range ${Math.round(meas.max - meas.min)} s wide`;
}

export interface StrategyRow {
  series: string;
  n: number;
  aimes: SimSummary | { error: string };
  adaptive: SimSummary | { error: string };
  /** the adaptive plan with one spare (surplus) pilot: what over-provisioning would buy */
  adaptiveSpare: SimSummary | { error: string };
  /** why adaptive does not win here, or null when it does (better p90, or fewer core-hours at an equal median) */
  adaptiveLoses: string | null;
}

export function strategyRow(
  d: AimesData,
  fit: Fitted,
  series: string,
  n: number,
  runs: number,
  seed: number,
): StrategyRow | null {
  const m = seriesModel(d, series, n);
  if (!m) return null;
  const row = d.runs.find((r) => r.series === series)!;
  const sim = (s: "aimes" | "adaptive"): SimSummary | { error: string } => {
    const input = studyInput(s, m, row, n, fit);
    return "error" in input ? input : simulateMany(input, runs, seed);
  };
  const aimes = sim("aimes");
  const adaptive = sim("adaptive");
  // what-if: the adaptive plan with one spare pilot, cancelled once the others are active
  const spareInput = studyInput("adaptive", m, row, n, fit, 1);
  const adaptiveSpare = "error" in spareInput ? spareInput : simulateMany(spareInput, runs, seed);
  return {
    series,
    n,
    aimes,
    adaptive,
    adaptiveSpare,
    adaptiveLoses: verdict(aimes, adaptive, walltimes(m, row, n, fit)),
  };
}

/** Each strategy's pilot walltime (minutes), to name why one fails where the other does not. */
function walltimes(m: SeriesModel, row: RunRow, n: number, fit: Fitted): string {
  const w = (s: "aimes" | "adaptive") => {
    const i = studyInput(s, m, row, n, fit);
    return "error" in i ? "—" : `${Math.round(i.pilots[0]!.walltimeS / 60)} min`;
  };
  return `walltime adaptive ${w("adaptive")} against aimes ${w("aimes")}`;
}

function verdict(
  a: SimSummary | { error: string },
  b: SimSummary | { error: string },
  walls: string,
): string | null {
  if ("error" in b) return `adaptive made no plan: ${b.error}`;
  if ("error" in a) return null;
  if (b.failShare > a.failShare + 0.01)
    return `adaptive fails more often (${(b.failShare * 100).toFixed(1)} % against ${(a.failShare * 100).toFixed(1)} %; ${walls}): when one pilot never starts, the other's shorter walltime expires before it has run everything at this hand-over rate (${b.failures[0]?.reason ?? ""})`;
  if (b.median === null) return "no adaptive simulation finished";
  if (a.median === null) return null;
  const equalMedian = Math.abs(b.median - a.median) <= 0.02 * a.median;
  const betterP90 = b.p90! < a.p90! * 0.98;
  const fewerCoreHours = b.coreHours.median < a.coreHours.median * 0.98;
  if (betterP90 && b.median <= a.median * 1.02) return null;
  if (equalMedian && fewerCoreHours) return null;
  if (b.median > a.median * 1.02)
    return `higher median TTC (${Math.round(b.median)} s against ${Math.round(a.median)} s)`;
  const gain = `p90 ${Math.round(b.p90!)} s against ${Math.round(a.p90!)} s, median ${Math.round(b.median)} s against ${Math.round(a.median)} s`;
  if (b.coreHours.median > a.coreHours.median * 1.02)
    return `its spare pilot started and ran beside the others (${b.coreHours.median.toFixed(0)} core-h against ${a.coreHours.median.toFixed(0)}) while the p90 gain stayed under 2 % (${gain})`;
  // the adaptive plan is aimes's pilots (one per resource, cores split evenly, for a one-stage bag of 1-core tasks) plus its spare
  if (b.median < a.median * 0.98)
    return `a much lower median but a p90 within 2 % of aimes (${gain}): in the slowest tenth of runs more than one queue is late (or a pilot never starts and another waits long), which one spare pilot cannot cover`;
  return `within 2 % of aimes (${gain}): the queues' waits were short and steady, so the spare pilot rarely starts first, or the slow runs had more than one late queue, which one spare cannot cover; the other pilots are those of aimes`;
}
