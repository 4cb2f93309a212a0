import { isPilotFinal } from "../states/pilot";
import { TASK_UNSTARTED_BOUND } from "../states/task";
import { HORIZON_TICKS } from "./prefetch";
import type { PilotRow, TaskRow } from "./rows";
import type { RunRuntime } from "./runtime";

/**
 * The engine's per-tick decisions, pure: which waiting tasks are ready, which ready task
 * goes to which active pilot (late binding, first come first served, backfilling smaller
 * tasks past a wide one), and what a pilot's end means for the tasks it held.
 */

export type Readiness = { ready: TaskRow[]; blocked: { task: TaskRow; by: string }[] };

/** A waiting task is ready when every task whose outputs it reads is DONE; blocked forever when one FAILED or was CANCELED. */
export function readiness(rt: RunRuntime, waiting: TaskRow[], byTaskId: Map<string, TaskRow>): Readiness {
  const ready: TaskRow[] = [];
  const blocked: { task: TaskRow; by: string }[] = [];
  for (const t of waiting) {
    const deps = rt.specs.get(t.taskId)?.dependsOn ?? [];
    let ok = true;
    for (const d of deps) {
      const st = byTaskId.get(d)?.state;
      if (st === "FAILED" || st === "CANCELED") {
        blocked.push({ task: t, by: d });
        ok = false;
        break;
      }
      if (st !== "DONE") ok = false;
    }
    if (ok) ready.push(t);
  }
  return { ready, blocked };
}

/**
 * Prefetch: how many tasks beyond its cores a pilot may hold, queued in its agent, so it does not
 * idle between two engine ticks: enough to cover one tick of the ready tasks' mean length, at
 * least `share` × cores, at most 32 × cores. Long tasks get a small margin (pilots that start
 * later still get work); very short tasks get batches (throughput).
 */
export function prefetchFor(cores: number, meanLengthS: number, o: { share: number; tickS: number }): number {
  return Math.min(
    32 * cores,
    Math.max(Math.ceil(cores * o.share), Math.ceil((cores * o.tickS) / Math.max(meanLengthS, 0.01))),
  );
}

/**
 * What every active pilot can take this tick: its cores and prefetch, less the cores its held
 * tasks use. `measured` (optional) is each pilot's prefetch from its agent's measured rate
 * (prefetch.ts); a pilot gets the larger of the two.
 */
export function capacities(
  pilots: PilotRow[],
  ready: readonly { length: number }[],
  busy: ReadonlyMap<string, number>,
  o: { share: number; tickS: number },
  measured?: ReadonlyMap<string, number>,
): Capacity[] {
  const meanLen = ready.length ? ready.reduce((a, t) => a + t.length, 0) / ready.length : 1;
  return pilots
    .filter((p) => p.state === "PMGR_ACTIVE" && !p.cancelRequestedAt)
    .map((p) => {
      // a rate measured on short tasks says nothing about long ones (a stage of 60 s tasks after
      // a stage of no-ops): never more than the declared lengths let the pilot finish in that time
      const byLength = Math.ceil((p.cores * HORIZON_TICKS * o.tickS) / Math.max(meanLen, 1e-4));
      const fromRate = Math.min(measured?.get(p.id) ?? 0, byLength);
      const prefetch = Math.max(prefetchFor(p.cores, meanLen, o), fromRate);
      return { pilot: p, free: p.cores + prefetch - (busy.get(p.id) ?? 0) };
    });
}

export interface Capacity {
  pilot: PilotRow;
  free: number;
}

/**
 * Late binding: tasks in FIFO order (stage, then task order), each to the first active pilot
 * (in activation order) with enough free cores. A task wider than every pilot's free cores
 * is skipped this tick so smaller ones behind it can backfill; it keeps its place at the head.
 */
const byName = new Intl.Collator("en", { numeric: true }).compare;

export function bindLate(ready: TaskRow[], caps: Capacity[]): Map<string, TaskRow[]> {
  const out = new Map<string, TaskRow[]>();
  const free = caps.map((c) => ({ ...c }));
  const ordered = [...ready].sort((a, b) => a.stageIndex - b.stageIndex || byName(a.taskId, b.taskId));
  for (const t of ordered) {
    const c = free.find((x) => x.free >= t.cores);
    if (!c) {
      if (free.every((x) => x.free <= 0)) break;
      continue;
    }
    c.free -= t.cores;
    const list = out.get(c.pilot.id);
    if (list) list.push(t);
    else out.set(c.pilot.id, [t]);
  }
  return out;
}

export type PilotEndVerdict = { task: TaskRow; action: "requeue" | "retry" | "fail"; reason: string };

/**
 * A pilot ended: its bound tasks that never started go back to the wait queue under the same
 * id; tasks that were running are retried elsewhere while attempts remain, otherwise they fail
 * naming the pilot. Tasks already finished on it (staging output) are left to the collector.
 */
export function onPilotEnded(p: PilotRow, held: TaskRow[], maxRetries: number): PilotEndVerdict[] {
  const why = `pilot ${p.label} (${p.index}) ended ${p.state}${p.reason ? `: ${p.reason}` : ""}`;
  return held.map((t) => {
    if (TASK_UNSTARTED_BOUND.includes(t.state) || t.state === "TMGR_STAGING_INPUT")
      return { task: t, action: "requeue", reason: `rebind: ${why}` };
    if (t.attempt < maxRetries) return { task: t, action: "retry", reason: `retry: ${why}` };
    return { task: t, action: "fail", reason: `${why} while the task ran (no retries left)` };
  });
}

/**
 * Why the run cannot finish, or null while some pilot can still run what is left. A pilot whose
 * queued job cannot start until someone acts (`queueBlocked`: pilot id → the batch system's
 * reason, lib/engine/queue-block.ts) counts as gone: waiting for it would never end.
 */
export function stuckReason(
  pilots: PilotRow[],
  remaining: TaskRow[],
  queueBlocked: ReadonlyMap<string, string> = new Map(),
): string | null {
  const widest = remaining.reduce((m, t) => Math.max(m, t.cores), -Infinity); // no spread: remaining can hold 10^6 tasks
  return stuckReasonOf(pilots, { count: remaining.length, widest }, queueBlocked);
}

/** stuckReason from the remaining tasks' count and widest task (what the engine reads with one query). */
export function stuckReasonOf(
  pilots: PilotRow[],
  remaining: { count: number; widest: number },
  queueBlocked: ReadonlyMap<string, string> = new Map(),
): string | null {
  if (remaining.count === 0) return null;
  const live = pilots.filter((p) => !isPilotFinal(p.state) && !queueBlocked.has(p.id));
  if (live.length === 0) {
    const ends = pilots.map((p) => {
      const blocked = queueBlocked.get(p.id);
      return blocked && !isPilotFinal(p.state)
        ? `${p.label}: queued, cannot start (${blocked})`
        : `${p.label}: ${p.state}${p.reason ? ` (${p.reason})` : ""}`;
    });
    return `no pilot is left to run the ${remaining.count} remaining task(s). ${ends.join("; ")}`;
  }
  const widest = remaining.widest;
  const biggest = live.reduce((m, p) => Math.max(m, p.cores), -Infinity);
  if (widest > biggest)
    return `a remaining task needs ${widest} cores but the largest live pilot has ${biggest}`;
  return null;
}

/**
 * The pilot state an agent's own exit means. Draining on request or before its walltime is a
 * normal end; a signal from outside (scancel, qdel, a node failure) or a configuration error is
 * a failure, and the tasks it held are handled as for any failed pilot.
 */
export function agentExitState(reason: string): "DONE" | "FAILED" {
  return /^(drain_requested|walltime)\b/.test(reason) ? "DONE" : "FAILED";
}

/**
 * Exit codes of a program killed by SIGHUP, SIGINT, SIGKILL or SIGTERM. When the batch system
 * kills a pilot's job, it signals the tasks directly, often before the agent can tell them
 * apart: on a pilot that failed, such an exit is the pilot's fault (retry), not the task's.
 */
export const SIGNAL_EXITS: readonly number[] = [129, 130, 137, 143];

/**
 * The agent gave up on a task while its pilot lives (lost process, launch error, too wide for
 * the allocation the agent found): the pilot's side failed, not the program, so the task is
 * retried (anywhere) while attempts remain, else FAILED with the agent's words. A record the
 * agent could not read would be refused again: FAILED at once.
 */
export function onTaskGivenUp(
  p: Pick<PilotRow, "label" | "index">,
  t: Pick<TaskRow, "attempt">,
  reason: string,
  detail: string,
  maxRetries: number,
): { action: "retry" | "fail"; reason: string } {
  const why = `the agent on pilot ${p.label} (${p.index}) gave up on it (${reason}): ${detail}`;
  if (reason !== "bad_record" && t.attempt < maxRetries) return { action: "retry", reason: `retry: ${why}` };
  return { action: "fail", reason: reason === "bad_record" ? why : `${why} (no retries left)` };
}
