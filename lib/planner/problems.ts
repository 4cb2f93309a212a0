import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import { maxOf } from "../util/extent";
import { defaultQueue } from "./aimes";
import type { ExecutionStrategy, TrailEntry } from "./types";

export type PlanProblemCode =
  "CORES_OVER_LIMIT" | "NARROWER_THAN_TASK" | "WALLTIME_OVER_LIMIT" | "WALLTIME_NOT_FINITE";

/** Something a resource cannot take in a plan: which pilot (1-based), and why, in words. */
export interface PlanProblem {
  code: PlanProblemCode;
  pilot: number;
  message: string;
}

const n0 = (x: number) => Math.round(x).toLocaleString("en");

/**
 * Everything in `plan` that the resources, as last seen, cannot take: a pilot with more cores
 * than its queue allows per job, than the queue has, or than the machine has; a pilot narrower
 * than the widest task when no pilot of the plan is wide enough (that task could never run); a walltime over the queue's limit or
 * not finite. Pure, so the planner (warnings and trail) and the launch (refusal) say the same.
 * A pilot whose resource is not among `snapshots` is checked only against the workload.
 */
export function planProblems(
  plan: Pick<ExecutionStrategy, "pilots">,
  workload: Pick<Workload, "tasks">,
  snapshots: readonly ResourceSnapshot[],
): PlanProblem[] {
  const widest = maxOf(
    workload.tasks.map((t) => t.cores),
    0,
  );
  // a narrow pilot beside a wide one is fine (it runs the narrow tasks); only when none fits is each one named
  const noneFits = plan.pilots.length > 0 && plan.pilots.every((p) => p.cores < widest);
  const out: PlanProblem[] = [];
  plan.pilots.forEach((p, i) => {
    const pilot = i + 1;
    const r = snapshots.find((s) => s.resourceId === p.resourceId);
    const q = r ? (p.queue === null ? defaultQueue(r) : r.queues.find((x) => x.name === p.queue)) : undefined;
    const where = `pilot ${pilot} (${p.resource}${p.queue ? `[${p.queue}]` : ""})`;
    const caps: [number, string][] = [];
    if (q?.maxCoresPerJob != null)
      caps.push([q.maxCoresPerJob, `a job in ${q.name} may have at most ${n0(q.maxCoresPerJob)}`]);
    if (q && q.coresTotal > 0) caps.push([q.coresTotal, `${q.name} has ${n0(q.coresTotal)} cores in all`]);
    if (r && r.nodes * r.coresPerNode > 0)
      caps.push([r.nodes * r.coresPerNode, `${r.label} has ${n0(r.nodes * r.coresPerNode)} cores in all`]);
    const tight = caps.filter(([c]) => p.cores > c).sort((a, b) => a[0] - b[0])[0];
    if (tight)
      out.push({
        code: "CORES_OVER_LIMIT",
        pilot,
        message: `${where} asks for ${n0(p.cores)} cores, but ${tight[1]}`,
      });
    if (noneFits)
      out.push({
        code: "NARROWER_THAN_TASK",
        pilot,
        message: `${where} has ${n0(p.cores)} cores, fewer than the widest task needs (${n0(widest)}): that task can never run on it`,
      });
    if (!Number.isFinite(p.walltimeMinutes))
      out.push({
        code: "WALLTIME_NOT_FINITE",
        pilot,
        message: `${where} has no finite walltime (${p.walltimeMinutes} minutes): no batch system accepts it`,
      });
    else if (q?.maxWalltimeSeconds != null && p.walltimeMinutes * 60 > q.maxWalltimeSeconds + 1e-6) {
      out.push({
        code: "WALLTIME_OVER_LIMIT",
        pilot,
        message: `${where} asks for ${p.walltimeMinutes.toFixed(2)} minutes, over ${q.name}'s limit of ${(q.maxWalltimeSeconds / 60).toFixed(2)} minutes`,
      });
    }
  });
  return out;
}

/** The problems as the plan carries them: one warning each, and one trail entry each (labels W1, W2, …). */
export function withProblems<P extends Pick<ExecutionStrategy, "pilots" | "warnings" | "trail">>(
  plan: P,
  problems: readonly PlanProblem[],
): P {
  if (problems.length === 0) return plan;
  const trail: TrailEntry[] = problems.map((x, i) => ({
    label: `W${i + 1}`,
    title: "the resource cannot take this plan",
    value: x.code,
    note: `${x.message}; launch refuses this plan until it is changed`,
  }));
  return {
    ...plan,
    warnings: [
      ...plan.warnings,
      ...problems.map((x) => ({ code: x.code, message: `${x.message}.`, pilot: x.pilot })),
    ],
    trail: [...plan.trail, ...trail],
  };
}
