import type { QueueSnapshot } from "../model/resource";
import type { ExecutionStrategy, PlannedPilot, TrailEntry } from "./types";

/** What a pilot's queue allows, in words, e.g. "up, at most 60 min, at most 16 cores per job, 16 of 16 cores free". */
export function queueLimitsText(q: QueueSnapshot): string {
  return [
    q.enabled ? "up" : "down",
    q.maxWalltimeSeconds === null
      ? "no walltime limit"
      : `at most ${Math.round(q.maxWalltimeSeconds / 60)} min`,
    q.maxCoresPerJob === null ? null : `at most ${q.maxCoresPerJob} cores per job`,
    `${q.coresFree} of ${q.coresTotal} cores free`,
  ]
    .filter((x) => x !== null)
    .join(", ");
}

/**
 * Why a pilot does not fit its queue, as the probe last saw it: an unknown queue, more cores than
 * a job may have (or the queue has), more walltime than it allows. An empty list means it fits; a
 * resource with no probed queues cannot be checked and gives none. A queue that is down is not a
 * reason to refuse (the job waits until it comes back, and the SC2014 demo submits to one on
 * purpose): `pilotQueueNotes` says it.
 */
export function pilotQueueProblems(p: PlannedPilot, queues: readonly QueueSnapshot[]): string[] {
  if (queues.length === 0) return [];
  const q = p.queue === null ? queues.find((x) => x.isDefault) : queues.find((x) => x.name === p.queue);
  if (!q)
    return [
      p.queue === null
        ? `${p.resource} has no default queue: choose one`
        : `${p.resource} has no queue ${p.queue} (it has ${queues.map((x) => x.name).join(", ")})`,
    ];
  const out: string[] = [];
  const coreCap = Math.min(q.maxCoresPerJob ?? Infinity, q.coresTotal > 0 ? q.coresTotal : Infinity);
  if (p.cores > coreCap) out.push(`${p.cores} cores is more than ${q.name} allows (${coreCap})`);
  if (q.maxWalltimeSeconds !== null && p.walltimeMinutes * 60 > q.maxWalltimeSeconds)
    out.push(
      `${p.walltimeMinutes.toFixed(1)} min is longer than ${q.name} allows (${Math.round(q.maxWalltimeSeconds / 60)} min)`,
    );
  return out;
}

/** What is worth knowing about a pilot's queue without refusing it: that it is down. */
export function pilotQueueNotes(p: PlannedPilot, queues: readonly QueueSnapshot[]): string[] {
  const q = p.queue === null ? queues.find((x) => x.isDefault) : queues.find((x) => x.name === p.queue);
  return q && !q.enabled ? [`${q.name} is down: this pilot waits until it is back up, perhaps for ever`] : [];
}

/** Every pilot's problems, "pilot N: …", for the launch to refuse with. */
export function planQueueProblems(
  plan: ExecutionStrategy,
  queuesOf: (resourceId: string) => readonly QueueSnapshot[],
): string[] {
  return plan.pilots.flatMap((p, i) =>
    pilotQueueProblems(p, queuesOf(p.resourceId)).map((m) => `pilot ${i + 1} (${p.resource}): ${m}`),
  );
}

/**
 * The plan as launched after the user picked queues: each pilot whose queue differs from the
 * planner's gets a trail entry, so the choice is kept with the plan, its trail and the archive.
 */
export function withChosenQueues(
  planned: ExecutionStrategy,
  chosen: ExecutionStrategy,
  queuesOf: (resourceId: string) => readonly QueueSnapshot[],
): ExecutionStrategy {
  const entries: TrailEntry[] = [];
  chosen.pilots.forEach((p, i) => {
    const was = planned.pilots[i]?.queue ?? null;
    if (p.queue === was) return;
    const q = queuesOf(p.resourceId).find((x) => x.name === p.queue);
    entries.push({
      label: `Q${i + 1}`,
      title: `queue of pilot ${i + 1} (${p.resource}), chosen on the plan page`,
      value: p.queue ?? "default",
      note: `the planner chose ${was ?? "the default queue"}${q ? `; ${q.name}: ${queueLimitsText(q)}` : ""}`,
    });
  });
  return entries.length ? { ...chosen, trail: [...chosen.trail, ...entries] } : chosen;
}
