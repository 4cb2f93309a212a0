import { TASK_TRANSITIONS, type TaskState } from "../states/task";
import { transition } from "../states/transition";
import { eventRow, type Tx } from "./events";
import { pushAll } from "../util/extent";

/**
 * Moves many tasks from one state to the next in three statements, whatever their number:
 * read which are still in `from`, update exactly those (guarded by state again), and append
 * one event each. Inside one SQLite transaction nobody else writes in between, so the tasks
 * returned are exactly the ones moved; the others were moved first by someone else.
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
  };
  /** per-task event time (keyed by database id); defaults to `at` */
  atFor?: (id: string) => Date;
  /** per-task event data (keyed by database id) */
  data?: (id: string) => Record<string, unknown> | null;
}

const CHUNK = 500; // SQLite's bound-parameter limit is generous, but keep statements modest

export async function moveTasksBulk(tx: Tx, m: BulkTaskMove): Promise<{ id: string; taskId: string }[]> {
  const ok = transition(TASK_TRANSITIONS, m.from, m.to);
  if (!ok.ok) throw new Error(`bulk task move: ${ok.error.message}`);
  const moved: { id: string; taskId: string }[] = [];
  for (let i = 0; i < m.ids.length; i += CHUNK) {
    const ids = m.ids.slice(i, i + CHUNK);
    const rows = await tx.task.findMany({
      where: { runId: m.runId, id: { in: [...ids] }, state: m.from },
      select: { id: true, taskId: true },
    });
    if (rows.length === 0) continue;
    const r = await tx.task.updateMany({
      where: { id: { in: rows.map((x) => x.id) }, state: m.from },
      data: { state: m.to, ...m.set },
    });
    if (r.count !== rows.length)
      throw new Error(`bulk task move ${m.from}→${m.to}: expected ${rows.length} rows, moved ${r.count}`);
    await tx.event.createMany({
      data: rows.map((row) =>
        eventRow({
          runId: m.runId,
          entity: "task",
          entityId: row.taskId,
          from: m.from,
          to: m.to,
          at: m.atFor?.(row.id) ?? m.at,
          reason: m.reason ?? null,
          data: m.data?.(row.id) ?? null,
        }),
      ),
    });
    pushAll(moved, rows);
  }
  return moved;
}
