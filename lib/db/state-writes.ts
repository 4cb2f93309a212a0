import { PILOT_TRANSITIONS, type PilotState } from "../states/pilot";
import { RUN_TRANSITIONS, type RunState } from "../states/run";
import { TASK_TRANSITIONS, type TaskState } from "../states/task";
import { transition } from "../states/transition";
import { eventRow, type Tx } from "./events";

/**
 * Guarded (compare-and-set) state writes. Each moves one row from an expected state to the
 * next only if it is still in the expected state, and appends the event in the same
 * transaction. `false` means someone else moved it first (another engine tick, a cancel):
 * the caller re-reads instead of overwriting. This is what keeps a task from being bound twice.
 */
interface Move<S extends string> {
  id: string;
  runId: string;
  /** id shown in the event log: the pilot id, or the skeleton task id */
  entityId: string;
  from: S;
  to: S;
  at: Date;
  reason?: string | null;
  data?: Record<string, unknown> | null;
}

function check<S extends string>(table: Record<S, readonly S[]>, what: string, from: S, to: S): void {
  const r = transition(table, from, to);
  if (!r.ok) throw new Error(`${what}: ${r.error.message}`);
}

export async function moveTask(
  tx: Tx,
  m: Move<TaskState> & {
    set?: {
      pilotId?: string | null;
      attempt?: number;
      exitCode?: number | null;
      startedAt?: Date | null;
      endedAt?: Date | null;
      reason?: string | null;
    };
  },
): Promise<boolean> {
  check(TASK_TRANSITIONS, `task ${m.entityId}`, m.from, m.to);
  const r = await tx.task.updateMany({ where: { id: m.id, state: m.from }, data: { state: m.to, ...m.set } });
  if (r.count !== 1) return false;
  await tx.event.create({ data: eventRow({ ...m, entity: "task" }) });
  return true;
}

export async function movePilot(
  tx: Tx,
  m: Move<PilotState> & {
    set?: {
      jobId?: string;
      sandbox?: string;
      reason?: string | null;
      submittedAt?: Date;
      activeAt?: Date;
      endedAt?: Date;
      cores?: number;
      nodes?: number;
    };
  },
): Promise<boolean> {
  check(PILOT_TRANSITIONS, `pilot ${m.entityId}`, m.from, m.to);
  const r = await tx.pilot.updateMany({
    where: { id: m.id, state: m.from },
    data: { state: m.to, ...m.set },
  });
  if (r.count !== 1) return false;
  await tx.event.create({ data: eventRow({ ...m, entity: "pilot" }) });
  return true;
}

export async function moveRun(
  tx: Tx,
  m: Move<RunState> & { set?: { stateReason?: string | null; startedAt?: Date; endedAt?: Date } },
): Promise<boolean> {
  check(RUN_TRANSITIONS, `run ${m.entityId}`, m.from, m.to);
  const r = await tx.run.updateMany({ where: { id: m.id, state: m.from }, data: { state: m.to, ...m.set } });
  if (r.count !== 1) return false;
  await tx.event.create({ data: eventRow({ ...m, entity: "run" }) });
  return true;
}
