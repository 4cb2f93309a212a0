import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import { planWorkload, type Policy, type PlanResult } from "../planner";
import {
  histogram,
  loadSkeletonText,
  parseSkeleton,
  workloadMetrics,
  type HistogramBin,
  type SkeletonError,
  type SkeletonFormat,
  type WorkloadMetrics,
} from "../skeleton";
import { unroll } from "../skeleton/iterate";
import { Issues } from "../skeleton/types";
import type { Calibration } from "../sim/calibrate";
import {
  predictCalibrated,
  PREDICTION_SEED,
  simulationsFor,
  type PredictionRecord,
  type WhatIf,
} from "../sim/calibrated";

/**
 * The heavy, pure work of the skeleton pages, as plain-JSON jobs a worker thread runs: a
 * 1,000,000-task expansion takes seconds, which on the request thread froze every other user and
 * the engine. Inputs and results cross the thread boundary by structured clone, so they stay
 * small: the skeleton's text in, summaries and plans out (never the expanded tasks).
 */

interface SkeletonSource {
  /** cache key of the expanded workload (skeleton id + seed); null for an upload not yet stored */
  key: string | null;
  text: string;
  fileName: string;
  seed: number;
}

export type TWorkJob =
  | (SkeletonSource & {
      kind: "skeleton";
      /** refuse above this many tasks before expanding; null = only the absolute MAX_TASKS */ taskLimit:
        number | null;
    })
  | (SkeletonSource & {
      kind: "plan";
      resources: ResourceSnapshot[];
      policies: (Omit<Policy, "now"> & { now: string })[];
    })
  /** plan, then each plan's calibrated Monte-Carlo prediction under the what-if changes (issue 15) */
  | (SkeletonSource & {
      kind: "predict";
      resources: ResourceSnapshot[];
      policies: (Omit<Policy, "now"> & { now: string })[];
      calibration: Calibration;
      whatIf: WhatIf;
      runs: number;
    });

export interface SkeletonInfo {
  format: SkeletonFormat;
  metrics: WorkloadMetrics;
  warnings: string[];
  histograms: { lengths: HistogramBin[]; sizes: HistogramBin[] };
}

export type SkeletonJobResult = { ok: true; info: SkeletonInfo } | { ok: false; errors: SkeletonError[] };
export type PlanJobResult =
  | { ok: true; plans: { strategy: Policy["strategy"]; result: PlanResult }[] }
  | { ok: false; errors: SkeletonError[] };
export type PredictJobResult =
  | {
      ok: true;
      plans: { strategy: Policy["strategy"]; result: PlanResult; prediction: PredictionRecord | null }[];
    }
  | { ok: false; errors: SkeletonError[] };
export type WorkResult<J extends TWorkJob> = J extends { kind: "plan" }
  ? PlanJobResult
  : J extends { kind: "predict" }
    ? PredictJobResult
    : SkeletonJobResult;

/** Where expanded workloads are kept between jobs (the worker's bounded cache; a no-op in tests). */
export interface Loaded {
  workload: Workload;
  format: SkeletonFormat;
}
export interface WorkloadStore {
  get(key: string): Loaded | undefined;
  set(key: string, w: Loaded): void;
}

const noStore: WorkloadStore = { get: () => undefined, set: () => undefined };

/** How many tasks a parsed skeleton expands to, from its stage definitions (no expansion). */
export function countTasks(
  text: string,
  fileName: string,
): { ok: true; tasks: number; line: number } | { ok: false; errors: SkeletonError[] } {
  const p = parseSkeleton(text, { fileName });
  if (!p.ok) return { ok: false, errors: p.errors };
  const stages = unroll(p.skeleton, new Issues());
  return {
    ok: true,
    tasks: stages.reduce((n, s) => n + s.def.numTasks, 0),
    line: p.skeleton.stages[0]?.at.stage.line ?? 1,
  };
}

export function taskLimitMessage(tasks: number, limit: number): string {
  const n = (x: number) => x.toLocaleString("en");
  return `the skeleton expands to ${n(tasks)} tasks, more than this account's limit of ${n(limit)} tasks per skeleton; an administrator can raise the limit on the Account page (or with \`npx emanager user limit EMAIL N\`), or split the workload into several skeletons`;
}

function workloadOf(
  src: SkeletonSource,
  store: WorkloadStore,
): ({ ok: true } & Loaded) | { ok: false; errors: SkeletonError[] } {
  const hit = src.key ? store.get(src.key) : undefined;
  if (hit) return { ok: true, ...hit };
  const l = loadSkeletonText(src.text, { fileName: src.fileName, seed: src.seed });
  if (!l.ok) return { ok: false, errors: l.errors };
  const loaded: Loaded = { workload: l.workload, format: l.format };
  if (src.key) store.set(src.key, loaded);
  return { ok: true, ...loaded };
}

export function skeletonJob(
  job: Extract<TWorkJob, { kind: "skeleton" }>,
  store: WorkloadStore = noStore,
): SkeletonJobResult {
  if (job.taskLimit !== null) {
    const c = countTasks(job.text, job.fileName);
    if (!c.ok) return c;
    if (c.tasks > job.taskLimit)
      return {
        ok: false,
        errors: [{ line: c.line, column: 1, message: taskLimitMessage(c.tasks, job.taskLimit) }],
      };
  }
  const w = workloadOf(job, store);
  if (!w.ok) return w;
  const tasks = w.workload.tasks;
  const sizes: number[] = [];
  for (const t of tasks) for (const o of t.outputs) sizes.push(o.size);
  return {
    ok: true,
    info: {
      format: w.format,
      metrics: workloadMetrics(w.workload),
      warnings: w.workload.warnings.map((x) => x.message),
      histograms: { lengths: histogram(tasks.map((t) => t.length)), sizes: histogram(sizes) },
    },
  };
}

export function planJob(
  job: Extract<TWorkJob, { kind: "plan" }>,
  store: WorkloadStore = noStore,
): PlanJobResult {
  const w = workloadOf(job, store);
  if (!w.ok) return w;
  return {
    ok: true,
    plans: job.policies.map((p) => ({
      strategy: p.strategy,
      result: planWorkload(w.workload, job.resources, { ...p, now: new Date(p.now) }),
    })),
  };
}

export function predictJob(
  job: Extract<TWorkJob, { kind: "predict" }>,
  store: WorkloadStore = noStore,
): PredictJobResult {
  const w = workloadOf(job, store);
  if (!w.ok) return w;
  const plans = job.policies.map((p) => {
    const now = new Date(p.now);
    const result = planWorkload(w.workload, job.resources, { ...p, now });
    // both strategies under the same model, runs and seed, so their difference is the plans'
    const prediction = result.ok
      ? predictCalibrated(w.workload, result.plan, job.resources, job.calibration, {
          runs: simulationsFor(w.workload.tasks.length, job.runs),
          seed: PREDICTION_SEED,
          whatIf: job.whatIf,
          now,
        })
      : null;
    return { strategy: p.strategy, result, prediction };
  });
  return { ok: true, plans };
}

/** The worker's dispatch: one job in, its plain-JSON result out. */
export function runJob(
  job: TWorkJob,
  store: WorkloadStore = noStore,
): SkeletonJobResult | PlanJobResult | PredictJobResult {
  return job.kind === "plan"
    ? planJob(job, store)
    : job.kind === "predict"
      ? predictJob(job, store)
      : skeletonJob(job, store);
}
