import { z } from "zod";
import type { Db } from "../db/client";
import type { Tx } from "../db/events";
import type { WorkloadTask } from "../model/workload";
import { isPilotState, type PilotState } from "../states/pilot";
import { isTaskState, type TaskState } from "../states/task";
import { pushAll } from "../util/extent";

/**
 * The engine's rows, read once here: the database stores states as text, and these functions
 * narrow them to PilotState/TaskState (a value no state machine knows is a corrupt row, and
 * throws), so no step downstream casts a state. JSON columns are parsed with their schemas.
 */
export interface PilotRow {
  id: string;
  runId: string;
  index: number;
  resourceId: string | null;
  label: string;
  kind: string;
  queue: string | null;
  project: string | null;
  cores: number;
  nodes: number;
  walltimeMinutes: number;
  state: PilotState;
  reason: string | null;
  jobId: string | null;
  sandbox: string | null;
  logOffset: number;
  inboxSeq: number;
  activeAt: Date | null;
  submittedAt: Date | null;
  cancelRequestedAt: Date | null;
}

export interface TaskRow {
  id: string;
  taskId: string;
  stage: string;
  stageIndex: number;
  cores: number;
  length: number;
  state: TaskState;
  pilotId: string | null;
  attempt: number;
  exitCode: number | null;
}

const PILOT_SELECT = {
  id: true,
  runId: true,
  index: true,
  resourceId: true,
  label: true,
  kind: true,
  queue: true,
  project: true,
  cores: true,
  nodes: true,
  walltimeMinutes: true,
  state: true,
  reason: true,
  jobId: true,
  sandbox: true,
  logOffset: true,
  inboxSeq: true,
  activeAt: true,
  submittedAt: true,
  cancelRequestedAt: true,
} as const;

const TASK_SELECT = {
  id: true,
  taskId: true,
  stage: true,
  stageIndex: true,
  cores: true,
  length: true,
  state: true,
  pilotId: true,
  attempt: true,
  exitCode: true,
} as const;

type Reader = Db | Tx;
type PilotWhere = NonNullable<Parameters<Db["pilot"]["findMany"]>[0]>["where"];
type TaskWhere = NonNullable<Parameters<Db["task"]["findMany"]>[0]>["where"];

export function pilotState(s: string, id: string): PilotState {
  if (!isPilotState(s)) throw new Error(`pilot ${id} has the unknown state ${JSON.stringify(s)}`);
  return s;
}

export function taskState(s: string, id: string): TaskState {
  if (!isTaskState(s)) throw new Error(`task ${id} has the unknown state ${JSON.stringify(s)}`);
  return s;
}

function toPilot<R extends { id: string; state: string }>(r: R): Omit<R, "state"> & { state: PilotState } {
  return { ...r, state: pilotState(r.state, r.id) };
}

function toTask<R extends { id: string; state: string }>(r: R): Omit<R, "state"> & { state: TaskState } {
  return { ...r, state: taskState(r.state, r.id) };
}

/** A run's pilots (or those `where` picks), in plan order. */
export async function loadPilots(db: Reader, where: PilotWhere): Promise<PilotRow[]> {
  return (await db.pilot.findMany({ where, select: PILOT_SELECT, orderBy: { index: "asc" } })).map(toPilot);
}

export async function loadPilot(db: Reader, id: string): Promise<PilotRow | null> {
  const r = await db.pilot.findUnique({ where: { id }, select: PILOT_SELECT });
  return r ? toPilot(r) : null;
}

/** Ended pilots with the two columns the job chase needs besides the row. */
export async function loadEndedPilots(
  db: Reader,
  where: PilotWhere,
): Promise<(PilotRow & { endedAt: Date | null; polledAt: Date | null })[]> {
  return (
    await db.pilot.findMany({
      where,
      select: { ...PILOT_SELECT, endedAt: true, polledAt: true },
      orderBy: { index: "asc" },
    })
  ).map(toPilot);
}

export async function loadTasks(db: Reader, where: TaskWhere): Promise<TaskRow[]> {
  return (await db.task.findMany({ where, select: TASK_SELECT })).map(toTask);
}

/** Ids or task names per statement: a tick's lists can hold thousands, statements stay bounded. */
const IN_CHUNK = 500;

/**
 * A run's tasks whose `key` (database id or skeleton task id) is one of `values`, read in chunks
 * of 500, optionally narrowed by `where`. What a tick reads when it knows which tasks it needs.
 */
export async function loadTasksIn(
  db: Reader,
  runId: string,
  key: "id" | "taskId",
  values: Iterable<string>,
  where: TaskWhere = {},
): Promise<TaskRow[]> {
  const list = [...new Set(values)];
  const out: TaskRow[] = [];
  for (let i = 0; i < list.length; i += IN_CHUNK)
    pushAll(out, await loadTasks(db, { ...where, runId, [key]: { in: list.slice(i, i + IN_CHUNK) } }));
  return out;
}

/** A task's spec column: the workload task as lib/db/runs.ts stored it. */
const ZFile = z.object({ name: z.string(), dir: z.string(), path: z.string(), size: z.number() });
export const ZWorkloadTask: z.ZodType<WorkloadTask> = z.object({
  id: z.string(),
  stage: z.string(),
  stageIndex: z.number().int(),
  type: z.string(),
  mode: z.enum(["time", "flops"]),
  cores: z.number().int(),
  length: z.number(),
  readBuffer: z.number(),
  writeBuffer: z.number(),
  interleave: z.number().int(),
  inputs: z.array(ZFile),
  outputs: z.array(ZFile),
  dependsOn: z.array(z.string()),
});

export function parseTaskSpec(json: string): WorkloadTask {
  return ZWorkloadTask.parse(JSON.parse(json));
}

/** The plan column, as far as the engine reads it: which pilots are surplus. Older plans may lack the rest. */
const ZPlanPilots = z.object({ pilots: z.array(z.object({ surplus: z.boolean().optional() })).default([]) });

export function parsePlanPilots(json: string): { surplus?: boolean }[] {
  return ZPlanPilots.parse(JSON.parse(json)).pilots;
}
