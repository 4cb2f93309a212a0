import type { Db } from "../db/client";
import type { PilotSite } from "./ports";

/** What every engine step gets: the database, the clock, and a way to reach a pilot's resource. */
export interface EngineContext {
  db: Db;
  now: () => Date;
  /** the site (transport + batch system + agent protocol) of a resource, for a user */
  site(resourceId: string | null, kind: string): Promise<PilotSite>;
  /** seconds without a heartbeat after which an active pilot is declared failed */
  heartbeatTimeoutS: number;
  /** seconds between batch status polls of one pilot */
  pollIntervalS: number;
  log(msg: string): void;
}

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
  state: string;
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
  state: string;
  pilotId: string | null;
  attempt: number;
  exitCode: number | null;
}

export const PILOT_SELECT = {
  id: true, runId: true, index: true, resourceId: true, label: true, kind: true, queue: true, project: true, cores: true, nodes: true,
  walltimeMinutes: true, state: true, reason: true, jobId: true, sandbox: true, logOffset: true, inboxSeq: true, activeAt: true,
  submittedAt: true, cancelRequestedAt: true,
} as const;

export const TASK_SELECT = {
  id: true, taskId: true, stage: true, stageIndex: true, cores: true, length: true, state: true, pilotId: true, attempt: true, exitCode: true,
} as const;
