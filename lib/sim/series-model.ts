import type { ResourceSnapshot } from "../model/resource";
import { planWorkload } from "../planner";
import type { AimesData, RunRow } from "./aimes-data";
import { overheadsFor, type Fitted } from "./aimes-fit";
import { inputFromPlan } from "./from-plan";
import { quantile } from "./many";
import { bagOf } from "./replay";
import type { QueueWaitModel, SimInput } from "./types";

/**
 * What a series of the AIMES data says about its queues, and a strategy's plan for one of its
 * bag sizes as a simulator input under those queues (validation items 2 and 3, lib/sim/study.ts).
 */

/** What the series measured about its pilots: waits and submission offsets per resource. */
export interface SeriesModel {
  series: string;
  resources: string[];
  waits: Map<string, QueueWaitModel>;
  submitAt: Map<string, number>;
  /** which pilots the waits come from: the same bag size, or the whole series when that size has no pilot data */
  scope: string;
}

/**
 * Waits of the series' pilots at bag size `n` when it has pilot data there, else of all its
 * pilots. Pilots still queued when their run ended (right-censored) count as never starting,
 * in the share measured.
 */
export function seriesModel(d: AimesData, series: string, n?: number): SeriesModel | null {
  const all = d.runs.filter((r) => r.series === series);
  if (all.length === 0) return null;
  const atScale = all.filter((r) => r.n_tasks === n && (d.pilotsByRun.get(r.run_key)?.length ?? 0) > 0);
  const runs = atScale.length ? atScale : all;
  const scope = atScale.length ? `${series}, ${n} tasks` : `${series}, all sizes`;
  const resources = all[0]!.resources;
  const tq = new Map<string, number[]>();
  const never = new Map<string, number>();
  const seen = new Map<string, number>();
  const offsets = new Map<string, number[]>();
  for (const r of runs) {
    for (const p of d.pilotsByRun.get(r.run_key) ?? []) {
      if (p.t_submitted_s === null) continue; // failed during launch: never queued
      offsets.set(p.resource, [...(offsets.get(p.resource) ?? []), p.t_submitted_s]);
      seen.set(p.resource, (seen.get(p.resource) ?? 0) + 1);
      if (p.t_active_s === null) never.set(p.resource, (never.get(p.resource) ?? 0) + 1);
      else tq.set(p.resource, [...(tq.get(p.resource) ?? []), p.t_active_s - p.t_submitted_s]);
    }
  }
  const waits = new Map<string, QueueWaitModel>();
  for (const res of resources) {
    const xs = tq.get(res) ?? [];
    const k = seen.get(res) ?? 0;
    waits.set(
      res,
      xs.length
        ? {
            kind: "samples",
            seconds: xs,
            neverShare: (never.get(res) ?? 0) / k,
            source: `${scope}: ${xs.length} measured wait(s), ${never.get(res) ?? 0} of ${k} never active`,
          }
        : { kind: "never", source: `${scope}: no pilot of ${res} became active` },
    );
  }
  const submitAt = new Map([...offsets].map(([k, xs]) => [k, quantile(Float64Array.from(xs).sort(), 0.5)]));
  return { series, resources, waits, submitAt, scope };
}

/** Machine facts for the planners (reference §2.3 and the centres' user guides); assumed, not probed. */
const MACHINES: Record<
  string,
  { nodes: number; coresPerNode: number; maxCoresPerJob: number; batch: "slurm" | "pbs" }
> = {
  stampede: { nodes: 6400, coresPerNode: 16, maxCoresPerJob: 4096, batch: "slurm" },
  gordon: { nodes: 1024, coresPerNode: 16, maxCoresPerJob: 1024, batch: "pbs" },
  comet: { nodes: 1944, coresPerNode: 24, maxCoresPerJob: 1728, batch: "slurm" },
  supermic: { nodes: 360, coresPerNode: 20, maxCoresPerJob: 2560, batch: "pbs" },
};

export function snapshotOf(label: string, wait: QueueWaitModel | undefined): ResourceSnapshot {
  const m = MACHINES[label.split(".")[1] ?? ""] ?? {
    nodes: 100,
    coresPerNode: 16,
    maxCoresPerJob: 1600,
    batch: "slurm" as const,
  };
  const samples = wait?.kind === "samples" ? Float64Array.from(wait.seconds).sort() : null;
  return {
    resourceId: label,
    label,
    batch: m.batch,
    host: label,
    takenAt: new Date(0).toISOString(),
    source: "static-json",
    nodes: m.nodes,
    coresPerNode: m.coresPerNode,
    queues: [
      {
        name: "normal",
        isDefault: true,
        enabled: true,
        maxWalltimeSeconds: 48 * 3600,
        maxCoresPerJob: m.maxCoresPerJob,
        maxQueuedJobs: null,
        nodesTotal: m.nodes,
        nodesFree: Math.floor(m.nodes / 4),
        coresTotal: m.nodes * m.coresPerNode,
        coresFree: Math.floor(m.nodes / 4) * m.coresPerNode,
        jobsQueued: 0,
        jobsRunning: 0,
      },
    ],
    waitHistory: samples
      ? [
          {
            queue: "normal",
            samples: samples.length,
            medianSeconds: quantile(samples, 0.5),
            p90Seconds: quantile(samples, 0.9),
          },
        ]
      : [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
  };
}

/** A strategy's plan for one series and bag size, as a simulator input with the series' waits. */
export function studyInput(
  strategy: "aimes" | "adaptive",
  m: SeriesModel,
  row: RunRow,
  n: number,
  fit: Fitted,
  overProvision = 0,
): SimInput | { error: string } {
  const w = bagOf({ ...row, n_tasks: n });
  const snaps = m.resources.map((r) => snapshotOf(r, m.waits.get(r)));
  const p = planWorkload(w, snaps, {
    strategy,
    binding: "late",
    now: new Date(0),
    staleAfterSeconds: Infinity,
    overProvision,
  });
  if (!p.ok) return { error: p.errors.map((e) => e.message).join("; ") };
  const queueWaits = Object.fromEntries([...m.waits].map(([k, v]) => [k, v]));
  const input = inputFromPlan(w, p.plan, snaps, {
    endS: fit.endS,
    maxRetries: 0,
    prefetchShare: 0,
    tickS: 0,
  });
  // the series' own waits, submission offsets and overheads, per resource
  const size = { n_tasks: n, input_bytes_per_task: row.input_bytes_per_task };
  input.pilots = input.pilots.map((x) => ({
    ...x,
    overheads: overheadsFor(fit, size, x.label),
    wait: queueWaits[x.label] ?? x.wait,
    submitAtS: m.submitAt.get(x.label) ?? x.submitAtS,
  }));
  return input;
}
