/**
 * What the timeline draws, independent of how it was folded from events (lib/stats does the
 * folding) and of where it is drawn (the canvas in the browser, the SVG export on the server).
 * Times are milliseconds since the Unix epoch; `end: null` means still going.
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
  /** ms spent waiting: from queued (or planned, if never queued) to active, or to its end / now */
  waited: number | null;
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
  /** e.g. "left stampede[stampede] (16) at 42.0 s: pilot FAILED" */
  note: string | null;
}

export interface GanttModel {
  t0: number;
  pilots: GanttPilot[];
  tasks: GanttTask[];
  stages: string[];
}
