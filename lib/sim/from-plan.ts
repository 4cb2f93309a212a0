import { z } from "zod";
import { engineSettings } from "../engine/settings";
import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import type { ExecutionStrategy } from "../planner/types";
import type { Overheads, QueueWaitModel, SimInput, SimPilot } from "./types";

/**
 * A plan (ExecutionStrategy) + what is known about its resources → a simulator input. Each
 * pilot's queue wait comes, in this order, from: a given model (`--queue-waits`, a what-if), the
 * resource's measured wait history for that queue, or the documented default, marked as such.
 */

/** Documented defaults where nothing is measured (AIMES + RADICAL-Pilot data, reference §2/§3.4). */
export const DEFAULT_OVERHEADS: Overheads = {
  // pilot Active → first task executing: median 11 s in the AIMES runs
  startupS: 11,
  perTaskS: 0.1,
  // the planners' staging assumption: 5 s per MiB
  bandwidthInBps: 1_048_576 / 5,
  bandwidthOutBps: 1_048_576 / 5,
  // unit AgentStagingOutputPending → Done: median 6 s
  stageOutS: 6,
  execOverrunS: 0,
};
/** last task done → every pilot released (AIMES runs: median 12 s) */
export const DEFAULT_END_S = 12;
// the defaults: none of the engine's variables set (NODE_ENV only because the type requires it)
const ENGINE = engineSettings({ NODE_ENV: "production" });
/**
 * the engine's defaults: EMANAGER_PREFETCH, extra tasks a pilot may hold beyond its cores as a share
 * of them, and its tick, with which `prefetchFor` (lib/engine/decide.ts) gives more to short tasks
 */
export const ENGINE_PREFETCH_SHARE = ENGINE.prefetchShare;
export const ENGINE_TICK_S = ENGINE.tickS;
/** one pilot submitted after the other (AIMES launches: 10–30 s each over SSH) */
export const DEFAULT_LAUNCH_GAP_S = 10;

const ZWait = z.union([
  z.object({ fixed: z.number().min(0) }).strict(),
  z.object({ never: z.literal(true) }).strict(),
  z
    .object({ samples: z.array(z.number().min(0)).min(1), neverShare: z.number().min(0).max(1).default(0) })
    .strict(),
  z.object({ median: z.number().min(0), p90: z.number().min(0) }).strict(),
]);
/** `--queue-waits FILE`: resource label (or `label[queue]`, or resource id) → wait model, seconds. */
export const ZQueueWaitsFile = z.record(z.string(), ZWait);
export type QueueWaitsFile = z.infer<typeof ZQueueWaitsFile>;

export function waitModelOf(v: z.infer<typeof ZWait>, source: string): QueueWaitModel {
  if ("fixed" in v) return { kind: "fixed", seconds: v.fixed, source };
  if ("never" in v) return { kind: "never", source };
  if ("samples" in v) return { kind: "samples", seconds: v.samples, neverShare: v.neverShare, source };
  return { kind: "lognormal", medianSeconds: v.median, p90Seconds: Math.max(v.p90, v.median), source };
}

export interface ModelOptions {
  queueWaits?: QueueWaitsFile;
  overheads?: Partial<Overheads>;
  launchGapS?: number;
  endS?: number;
  maxRetries?: number;
  prefetchShare?: number;
  /** the engine's tick; 0 for a system that binds without ticks (no prefetch beyond the share) */
  tickS?: number;
}

export function defaultWait(r: ResourceSnapshot | undefined, queue: string | null): QueueWaitModel {
  if (!r)
    return { kind: "lognormal", medianSeconds: 60, p90Seconds: 240, source: "default: unknown resource" };
  const h = r.waitHistory.find((x) => x.queue === queue) ?? (queue === null ? r.waitHistory[0] : undefined);
  if (h && h.samples > 0)
    return {
      kind: "lognormal",
      medianSeconds: h.medianSeconds,
      p90Seconds: h.p90Seconds,
      source: `measured: ${h.samples} pilot wait(s) on ${r.label}[${h.queue}]`,
    };
  if (r.batch === "local" || r.batch === "fork")
    return { kind: "fixed", seconds: 0, source: "default: no batch queue" };
  const q = r.queues.find((x) => x.name === queue);
  const median = 60 * (1 + (q?.jobsQueued ?? 0) / Math.max(1, q?.jobsRunning ?? 0));
  // no data: the adaptive planner's documented guess, with a wide tail because it is a guess
  return {
    kind: "lognormal",
    medianSeconds: median,
    p90Seconds: median * 4,
    source: "default (no data): 60 s × (1 + queued/running)",
  };
}

export function inputFromPlan(
  w: Workload,
  plan: ExecutionStrategy,
  resources: readonly ResourceSnapshot[],
  o: ModelOptions = {},
): SimInput {
  const gap = o.launchGapS ?? DEFAULT_LAUNCH_GAP_S;
  const pilots: SimPilot[] = plan.pilots.map((p, i) => {
    const r =
      resources.find((x) => x.resourceId === p.resourceId) ?? resources.find((x) => x.label === p.resource);
    const keys = [`${p.resource}[${p.queue ?? ""}]`, p.resource, p.resourceId];
    const given = keys.map((k) => o.queueWaits?.[k]).find((x) => x !== undefined);
    const wait = given ? waitModelOf(given, "given (--queue-waits)") : defaultWait(r, p.queue);
    const bwIn = r?.bandwidthInMBps ? r.bandwidthInMBps * 1e6 : undefined;
    const bwOut = r?.bandwidthOutMBps ? r.bandwidthOutMBps * 1e6 : undefined;
    const overheads: Overheads = {
      ...DEFAULT_OVERHEADS,
      ...(bwIn ? { bandwidthInBps: bwIn } : {}),
      ...(bwOut ? { bandwidthOutBps: bwOut } : {}),
      ...o.overheads,
    };
    return {
      id: `pilot-${i + 1}`,
      label: p.resource,
      queue: p.queue,
      cores: p.cores,
      walltimeS: p.walltimeMinutes * 60,
      submitAtS: i * gap,
      wait,
      overheads,
      ...(p.surplus ? { surplus: true } : {}),
    };
  });
  return {
    workload: w,
    pilots,
    maxRetries: o.maxRetries ?? 3,
    prefetchShare: o.prefetchShare ?? ENGINE_PREFETCH_SHARE,
    tickS: o.tickS ?? ENGINE_TICK_S,
    endS: o.endS ?? DEFAULT_END_S,
  };
}
