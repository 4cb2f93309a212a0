/**
 * One row of the benchmark table that `npm run bench` prints (figure, value, baseline, ratio).
 * Each benchmark module in scripts/bench/ exports `bench(): Promise<BenchRow[]>`.
 * A ratio is always against a baseline measured in the same process or the same run.
 */
export interface BenchRow {
  figure: string;
  value: number;
  unit: string;
  /** what the value is compared with, measured in this run (omit when there is none) */
  baseline?: { label: string; value: number; unit: string };
  /** value / baseline.value (or the inverse, as `ratioNote` says) */
  ratio?: number;
  ratioNote?: string;
  /** the budget from ARCHITECTURE.md, if any, e.g. "< 1 s" */
  budget?: string;
}

export type Bench = () => Promise<BenchRow[]>;
