import { TASK_TRANSITIONS, type TaskState } from "../states/task";
import { transition } from "../states/transition";
import { eventRow, insertEvents, type Tx } from "./events";
import { pushAll } from "../util/extent";

/**
 * Moves many tasks from one state to the next in two statements per 500, whatever their number:
 * update the ones still in `from` and return them (one UPDATE … RETURNING), and append one
 * event each. The tasks returned are exactly the ones moved; the others were moved first by
 * someone else.
 * Per-row round trips would cost the engine seconds on a 5,000-task run.
 */
export interface BulkTaskMove {
  runId: string;
  from: TaskState;
  to: TaskState;
  at: Date;
  /** database ids of the Task rows */
  ids: readonly string[];
  reason?: string | null;
  /** columns to set on every moved row */
  set?: {
    pilotId?: string | null;
    attempt?: number;
    startedAt?: Date | null;
    endedAt?: Date | null;
    reason?: string | null;
    exitCode?: number | null;
  };
  /** per-task event time (keyed by database id); defaults to `at` */
  atFor?: (id: string) => Date;
  /** per-task event data (keyed by database id) */
  data?: (id: string) => Record<string, unknown> | null;
}

// rows per statement: an event row binds 8 parameters, and up to 3 events a row stay well under
// SQLite's 32,766 and PostgreSQL's 65,535 bound parameters
const CHUNK = 500;

export async function moveTasksBulk(tx: Tx, m: BulkTaskMove): Promise<{ id: string; taskId: string }[]> {
  return moveTasksThrough(tx, { ...m, via: [] });
}

/**
 * One bulk move through intermediate states: `from` → each of `via` → `to`, every hop checked
 * against the transition table and written as its own event (the event log and the statistics
 * see every state), but the rows are read and updated once. For hops with no work in between
 * (binding a task and starting its stage-in when it has nothing to stage; two agent facts read
 * together), this halves or thirds the statements per task.
 */
export interface ThroughMove extends BulkTaskMove {
  via: readonly {
    state: TaskState;
    atFor?: (id: string) => Date;
    data?: (id: string) => Record<string, unknown> | null;
  }[];
}

export async function moveTasksThrough(tx: Tx, m: ThroughMove): Promise<{ id: string; taskId: string }[]> {
  const states = [m.from, ...m.via.map((v) => v.state), m.to];
  for (let i = 1; i < states.length; i++) {
    const ok = transition(TASK_TRANSITIONS, states[i - 1]!, states[i]!);
    if (!ok.ok) throw new Error(`bulk task move: ${ok.error.message}`);
  }
  const moved: { id: string; taskId: string }[] = [];
  for (let i = 0; i < m.ids.length; i += CHUNK) {
    const ids = m.ids.slice(i, i + CHUNK);
    // one statement: the rows still in `from` are moved and returned, so no other writer can
    // slip in between a read and the update (PostgreSQL's default isolation would allow that)
    const rows = await tx.task.updateManyAndReturn({
      where: { runId: m.runId, id: { in: [...ids] }, state: m.from },
      data: { state: m.to, ...m.set },
      select: { id: true, taskId: true },
    });
    if (rows.length === 0) continue;
    const events = [];
    for (const row of rows) {
      let from = m.from;
      for (const v of m.via) {
        events.push(
          eventRow({
            runId: m.runId,
            entity: "task",
            entityId: row.taskId,
            from,
            to: v.state,
            at: v.atFor?.(row.id) ?? m.at,
            reason: null,
            data: v.data?.(row.id) ?? null,
          }),
        );
        from = v.state;
      }
      events.push(
        eventRow({
          runId: m.runId,
          entity: "task",
          entityId: row.taskId,
          from,
          to: m.to,
          at: m.atFor?.(row.id) ?? m.at,
          reason: m.reason ?? null,
          data: m.data?.(row.id) ?? null,
        }),
      );
    }
    await insertEvents(tx, events);
    pushAll(moved, rows);
  }
  return moved;
}
