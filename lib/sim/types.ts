import type { RunEvent } from "../model/event";
import type { Workload } from "../model/workload";

/**
 * What the simulator takes and gives. Times are seconds since the run started (the engine's
 * first event). Every input is plain data so that a plan, a what-if edit or a row of a measured
 * data set can all become one; `lib/sim/from-plan.ts` and `lib/sim/aimes-data.ts` build them.
 */

/**
 * How long a pilot waits in its batch queue. `never`: it does not start before the run ends.
 * `samples`: drawn uniformly from measured waits; `neverShare` of the draws never start.
 * `lognormal`: from a median and a 90th percentile (a queue-wait history), `source` says which.
 */
export type QueueWaitModel =
  | { kind: "fixed"; seconds: number; source: string }
  | { kind: "never"; source: string }
  | { kind: "samples"; seconds: number[]; neverShare: number; source: string }
  | { kind: "lognormal"; medianSeconds: number; p90Seconds: number; source: string };

/** Per-pilot costs outside the tasks' own run time; fitted or documented defaults. */
export interface Overheads {
  /** batch job submitted → agent ready to run tasks (after PMGR_ACTIVE) */
  startupS: number;
  /** per task, serial on a pilot's delivery channel (binding, hand-over to the agent) */
  perTaskS: number;
  /**
   * per task, for tasks handed to a pilot after its first `cores` (re-binding as cores free up),
   * serial over the whole run; unset: like the first fill. RADICAL-Pilot 0.37 was much slower
   * here than for the first fill, and one unit manager served all pilots of a run.
   */
  laterPerTaskS?: number;
  /**
   * seconds from a core freeing to the hand-over of the next task to it (the manager learning of
   * the free core); unset: 0. RADICAL-Pilot 0.37 took 2–5 s here even in small bags.
   */
  rebindLatencyS?: number;
  /** bytes per second from the server to the pilot (input staging), serial with the hand-over */
  bandwidthInBps: number;
  /** bytes per second back (output staging) */
  bandwidthOutBps: number;
  /** a finished task's report and collection (AGENT_STAGING_OUTPUT → DONE), besides its bytes */
  stageOutS: number;
  /** seconds a task's recorded execution exceeds its length (agent bookkeeping) */
  execOverrunS: number;
}

export interface SimPilot {
  id: string;
  /** what people see, e.g. `xsede.stampede` */
  label: string;
  queue: string | null;
  cores: number;
  walltimeS: number;
  /** batch submission time (PMGR_ACTIVE_PENDING) */
  submitAtS: number;
  wait: QueueWaitModel;
  overheads: Overheads;
  /** over-provisioned: cancelled once enough others are active (lib/engine/surplus.ts) */
  surplus?: boolean;
  /** the pilot fails this many seconds after becoming active (a what-if), if it lives that long */
  failAfterActiveS?: number;
  /** FLOP/s of one core, to turn `Task_Mode = flops` lengths into seconds; null refuses them */
  flopsPerCoreSecond?: number | null;
}

export interface SimInput {
  workload: Workload;
  pilots: SimPilot[];
  /** retries of a task whose pilot died while it ran (the run's maxRetries) */
  maxRetries: number;
  /**
   * extra tasks a pilot may hold beyond its cores, as a share of its cores (engine: EMANAGER_PREFETCH);
   * the engine's `prefetchFor` raises it for tasks shorter than a tick
   */
  prefetchShare: number;
  /** the engine's tick in seconds (EMANAGER_ENGINE_INTERVAL_MS), for `prefetchFor`; unset or 0: a system without ticks, prefetch by share only */
  tickS?: number;
  /** last task final → every pilot released and the run's final event */
  endS: number;
  /** record the event stream (off for Monte Carlo: only the figures are needed) */
  record?: boolean;
  /** epoch ms of the run's start in recorded events */
  t0Ms?: number;
  runId?: string;
}

/** Where the run's time went; the five add up to `ttc`. */
export interface Terms {
  /** run start → the first pilot active (launch and submission included) */
  queueWait: number;
  /** first pilot active → first task executing */
  startup: number;
  /** time some task was executing (union) */
  execution: number;
  /** time some task was staging and none executing */
  staging: number;
  /** the rest: idle gaps, waiting for later pilots, the end of the run */
  overhead: number;
}

export interface SimResult {
  ttc: number;
  terms: Terms;
  /** Σ cores × (pilot end − pilot active) / 3600 */
  coreHours: number;
  failed?: string;
  tasksDone: number;
  tasksFailed: number;
  pilotsActive: number;
  /** pilots on which some task finished executing */
  pilotsUsed: number;
  events: RunEvent[];
}
