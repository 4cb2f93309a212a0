import type { JobStatus } from "../batch/types";
import type { RunRuntime } from "./runtime";

/**
 * Pilots whose job waits in the queue for something that does not clear by itself: a DOWN or
 * INACTIVE partition (the demo's gordon), an administrator's hold, limits the job can never
 * meet. Such a pilot is live but cannot run anything, so a run whose other pilots are gone
 * must stop saying why (decide.ts: stuckReason) instead of waiting for it for ever.
 *
 * Only reasons that need someone to act count: a job waiting for resources, priority or a
 * QOS limit does start eventually. The codes are SLURM's (squeue %r / scontrol Reason); the
 * SLURM adapter reports a queued job's reason as "<STATE>: <Reason>".
 */
const NEVER_STARTS_ALONE = [
  "PartitionDown",
  "PartitionInactive",
  "PartitionNodeLimit",
  "PartitionTimeLimit",
  "BadConstraints",
  "JobHeldAdmin",
  "InvalidAccount",
  "InvalidQOS",
  "DependencyNeverSatisfied",
];
const CODE = new RegExp(`(^|[\\s:(])(${NEVER_STARTS_ALONE.join("|")})\\b`);

/** The batch system's words when a queued job cannot start until someone acts, else null. */
export function queueBlockReason(st: JobStatus): string | null {
  if (st.state !== "queued" || !st.reason) return null;
  return CODE.test(st.reason) ? st.reason : null;
}

/** Per run: pilot id → the reason its queued job is blocked, from the last poll that answered. */
const blocks = new WeakMap<RunRuntime, Map<string, string>>();

export function queueBlocks(rt: RunRuntime): Map<string, string> {
  let m = blocks.get(rt);
  if (!m) {
    m = new Map();
    blocks.set(rt, m);
  }
  return m;
}

/** Records what a poll said about a pilot's job; a poll that did not answer ("unknown") changes nothing. */
export function noteJobStatus(rt: RunRuntime, pilotId: string, st: JobStatus | null): void {
  if (!st || st.state === "unknown") return;
  const why = queueBlockReason(st);
  if (why) queueBlocks(rt).set(pilotId, why);
  else queueBlocks(rt).delete(pilotId);
}
