/**
 * What the timeline draws, independent of how it was folded from events (lib/stats does the
 * folding). Times are milliseconds since the Unix epoch; `end: null` means still going.
 */
export interface GanttSegment {
  state: string;
  start: number;
  end: number | null;
}

export interface GanttPilot {
  id: string;
  /** `resource[queue] (cores)` */
  label: string;
  cores: number;
  segments: GanttSegment[];
  finalState: string | null;
  reason: string | null;
  /** never reached PMGR_ACTIVE: drawn as waiting, with its wait and final reason */
  neverActive: boolean;
}

export interface GanttTask {
  taskId: string;
  pilotId: string;
  /** core slot on the pilot (0-based): one lane per slot, like Dask's task stream */
  lane: number;
  /** how many lanes (cores) the task spans */
  width: number;
  start: number;
  end: number | null;
  stage: string;
  state: string;
  attempt: number;
  /** e.g. "rebound from pilot 2: pilot FAILED" */
  note: string | null;
}

export interface GanttModel {
  t0: number;
  pilots: GanttPilot[];
  tasks: GanttTask[];
  stages: string[];
}
