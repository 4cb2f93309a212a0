/**
 * One row of a run's append-only event log. Every state change of the run, a pilot
 * or a task is one event; rows are never updated. The statistics and the dashboard
 * are folds over this list.
 */
export type EventEntity = "run" | "pilot" | "task";

export interface RunEvent {
  /** strictly increasing within a run (the database id) */
  seq: number;
  runId: string;
  entity: EventEntity;
  /** run id, pilot id, or task id such as `Stage_1_0` */
  entityId: string;
  /** previous state; null for the first event of an entity */
  from: string | null;
  to: string;
  /** milliseconds since the Unix epoch */
  at: number;
  reason: string | null;
  /**
   * Facts attached to the transition, e.g. `{ pilotId, attempt, exitCode, cores, slots }`
   * for a task, `{ cores, nodes, jobId }` for a pilot.
   */
  data: Record<string, unknown> | null;
}
