import { z } from "zod";
import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import type { ExecutionStrategy } from "../planner/types";
import type { Calibration, Fitted } from "./calibrate";
import { DEFAULT_OVERHEADS, defaultWait, inputFromPlan } from "./from-plan";
import { simulateMany } from "./many";
import type { QueueWaitModel, SimInput } from "./types";
import { describeWait } from "./waits";

/**
 * A plan's prediction from the calibrated model (lib/sim/calibrate.ts), with what-if changes,
 * in the form kept with a run (the Run.prediction column, run.json, the archive) and shown on
 * the plan page: median and p10–p90 TTC, the share of simulations that fail and why, the five
 * terms, and each input with its source.
 */

/** What the plan page's what-if changes: a queue's expected wait, a resource that fails. */
export const ZWhatIf = z.object({
  /** resource id → expected queue wait in seconds (every queue of it) */
  waits: z
    .record(
      z.string(),
      z
        .number()
        .min(0)
        .max(30 * 86_400),
    )
    .default({}),
  /** resource ids whose pilots never start */
  failing: z.array(z.string()).default([]),
});
export type WhatIf = z.infer<typeof ZWhatIf>;

const ZFitted = z.object({
  value: z.number(),
  source: z.enum(["measured", "default"]),
  n: z.number().int().min(0),
});
const ZTerms = z.object({
  queueWait: z.number(),
  startup: z.number(),
  execution: z.number(),
  staging: z.number(),
  overhead: z.number(),
});

export const ZPredictionRecord = z.object({
  madeAt: z.string(),
  strategy: z.string(),
  runs: z.number().int().min(0),
  seed: z.number().int(),
  median: z.number().nullable(),
  p10: z.number().nullable(),
  p90: z.number().nullable(),
  failShare: z.number().min(0).max(1),
  failures: z.array(z.object({ reason: z.string(), count: z.number() })),
  /** medians over the simulations that finished */
  terms: ZTerms,
  inputs: z.object({
    /** how many of the project's runs the model was learned from */
    calibratedFrom: z.number().int().min(0),
    pilots: z.array(
      z.object({
        resource: z.string(),
        queue: z.string().nullable(),
        cores: z.number(),
        walltimeMinutes: z.number(),
        wait: z.string(),
        waitSource: z.enum(["measured", "default", "what-if"]),
      }),
    ),
    overheads: z.array(
      z.object({
        resource: z.string(),
        startupS: ZFitted,
        perTaskS: ZFitted,
        stageOutS: ZFitted,
        execOverrunS: ZFitted,
      }),
    ),
    submitS: ZFitted,
    launchGapS: ZFitted,
    endS: ZFitted,
  }),
  /** why there is no prediction (a workload the simulator cannot time) */
  error: z.string().optional(),
});
export type PredictionRecord = z.infer<typeof ZPredictionRecord>;

function waitOf(
  cal: Calibration,
  r: ResourceSnapshot | undefined,
  resourceId: string,
  label: string,
  queue: string | null,
  whatIf: WhatIf,
): { model: QueueWaitModel; source: "measured" | "default" | "what-if" } {
  if (whatIf.failing.includes(resourceId))
    return { model: { kind: "never", source: "what-if: marked as failing" }, source: "what-if" };
  const given = whatIf.waits[resourceId];
  if (given !== undefined)
    return { model: { kind: "fixed", seconds: given, source: "what-if" }, source: "what-if" };
  const w = cal.resources[resourceId]?.waits[queue ?? ""];
  const n = w ? w.samples.length + w.never : 0;
  if (w && n > 0)
    return {
      model: {
        kind: "samples",
        seconds: w.samples,
        neverShare: w.never / n,
        source: `measured: ${n} pilot(s) of this project on ${label}${queue ? `[${queue}]` : ""}`,
      },
      source: "measured",
    };
  const d = defaultWait(r, queue);
  return { model: d, source: d.source.startsWith("measured") ? "measured" : "default" };
}

/** The simulator's input for `plan` under the calibrated model and the what-if changes. */
export function calibratedInput(
  w: Workload,
  plan: ExecutionStrategy,
  resources: readonly ResourceSnapshot[],
  cal: Calibration,
  whatIf: WhatIf,
  prefetchShare?: number,
): { input: SimInput; waitSources: ("measured" | "default" | "what-if")[] } {
  const base = inputFromPlan(w, plan, resources, {
    launchGapS: cal.launchGapS.value,
    endS: cal.endS.value,
    ...(prefetchShare !== undefined ? { prefetchShare } : {}),
  });
  const waitSources: ("measured" | "default" | "what-if")[] = [];
  const pilots = base.pilots.map((p, i) => {
    const planned = plan.pilots[i]!;
    const r = resources.find((x) => x.resourceId === planned.resourceId);
    const rc = cal.resources[planned.resourceId];
    const wt = waitOf(cal, r, planned.resourceId, planned.resource, planned.queue, whatIf);
    waitSources.push(wt.source);
    const o = rc
      ? {
          ...p.overheads,
          startupS: rc.startupS.value,
          perTaskS: rc.perTaskS.value,
          stageOutS: rc.stageOutS.value,
          execOverrunS: rc.execOverrunS.value,
        }
      : p.overheads;
    // a measured hand-over or collection already includes moving the files (the runs' own sizes):
    // the bandwidth term would count them twice
    if (rc?.perTaskS.source === "measured") o.bandwidthInBps = MEASURED_BPS;
    if (rc?.stageOutS.source === "measured") o.bandwidthOutBps = MEASURED_BPS;
    return { ...p, submitAtS: p.submitAtS + cal.submitS.value, wait: wt.model, overheads: o };
  });
  return { input: { ...base, pilots }, waitSources };
}

/** bytes per second standing for "already in the measured time" (finite: the figures go through JSON) */
const MEASURED_BPS = 1e12;

const defaultFitted = (f: Fitted | undefined, value: number): Fitted =>
  f ?? { value, source: "default", n: 0 };

export function predictCalibrated(
  w: Workload,
  plan: ExecutionStrategy,
  resources: readonly ResourceSnapshot[],
  cal: Calibration,
  o: { runs: number; seed: number; whatIf?: WhatIf; now: Date; prefetchShare?: number },
): PredictionRecord {
  const whatIf = o.whatIf ?? { waits: {}, failing: [] };
  const head = { madeAt: o.now.toISOString(), strategy: plan.strategy, runs: o.runs, seed: o.seed };
  const inputs = (pilots: PredictionRecord["inputs"]["pilots"]): PredictionRecord["inputs"] => ({
    calibratedFrom: cal.runIds.length,
    pilots,
    overheads: [...new Set(plan.pilots.map((p) => p.resourceId))].map((id) => {
      const rc = cal.resources[id];
      const label = plan.pilots.find((p) => p.resourceId === id)?.resource ?? id;
      return {
        resource: label,
        startupS: defaultFitted(rc?.startupS, DEFAULT_OVERHEADS.startupS),
        perTaskS: defaultFitted(rc?.perTaskS, DEFAULT_OVERHEADS.perTaskS),
        stageOutS: defaultFitted(rc?.stageOutS, DEFAULT_OVERHEADS.stageOutS),
        execOverrunS: defaultFitted(rc?.execOverrunS, DEFAULT_OVERHEADS.execOverrunS),
      };
    }),
    submitS: cal.submitS,
    launchGapS: cal.launchGapS,
    endS: cal.endS,
  });
  try {
    const { input, waitSources } = calibratedInput(w, plan, resources, cal, whatIf, o.prefetchShare);
    const s = simulateMany(input, o.runs, o.seed);
    return {
      ...head,
      median: s.median,
      p10: s.p10,
      p90: s.p90,
      failShare: s.failShare,
      failures: s.failures,
      terms: s.terms,
      inputs: inputs(
        input.pilots.map((p, i) => ({
          resource: p.label,
          queue: p.queue,
          cores: p.cores,
          walltimeMinutes: p.walltimeS / 60,
          wait: describeWait(p.wait),
          waitSource: waitSources[i]!,
        })),
      ),
    };
  } catch (e: unknown) {
    return {
      ...unpredicted(plan.strategy, o.now, e instanceof Error ? e.message : String(e)),
      runs: o.runs,
      seed: o.seed,
      inputs: inputs([]),
    };
  }
}

/** A record that says why there is no prediction. */
export function unpredicted(strategy: string, now: Date, why: string): PredictionRecord {
  const none: Fitted = { value: 0, source: "default", n: 0 };
  return {
    madeAt: now.toISOString(),
    strategy,
    runs: 0,
    seed: PREDICTION_SEED,
    median: null,
    p10: null,
    p90: null,
    failShare: 0,
    failures: [],
    terms: { queueWait: 0, startup: 0, execution: 0, staging: 0, overhead: 0 },
    inputs: { calibratedFrom: 0, pilots: [], overheads: [], submitS: none, launchGapS: none, endS: none },
    error: why,
  };
}

/** one seed for every prediction, so the same plan and model give the same figures */
export const PREDICTION_SEED = 15;

/** Simulations at launch and on the plan page: fewer for a big workload so one stays within seconds. */
export function simulationsFor(tasks: number, wanted = 300, taskBudget = 2_000_000): number {
  return Math.max(20, Math.min(wanted, Math.floor(taskBudget / Math.max(1, tasks))));
}
