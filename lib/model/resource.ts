/**
 * What EManager knows about a resource at one moment: the "bundle" of the original,
 * as one typed snapshot. Produced by the probe parsers (lib/bundle), by the bundle
 * configuration importer and by static JSON; consumed by the planner.
 */

export type BatchKind = "local" | "fork" | "slurm" | "pbs" | "lsf" | "sge";

export interface QueueSnapshot {
  name: string;
  /** the queue the resource uses when none is given (SLURM default partition, PBS default queue) */
  isDefault: boolean;
  /** false when the queue is disabled, drained or not started */
  enabled: boolean;
  /** longest walltime a job may ask for, seconds; null = unlimited/unknown */
  maxWalltimeSeconds: number | null;
  /** most cores one job may ask for (the original's num_procs_limit); null = unknown */
  maxCoresPerJob: number | null;
  /** most jobs one user may have queued (queued_jobs_limit); null = unknown */
  maxQueuedJobs: number | null;
  nodesTotal: number;
  nodesFree: number;
  coresTotal: number;
  coresFree: number;
  /** jobs waiting in this queue (the original's num_queueing_jobs) */
  jobsQueued: number;
  jobsRunning: number;
}

/** Measured pilot queue waits on one queue, from earlier runs (seconds). */
export interface QueueWaitHistory {
  queue: string;
  samples: number;
  medianSeconds: number;
  p90Seconds: number;
}

export interface ResourceSnapshot {
  /** stable id of the resource (database id, or the bundle id such as `stampede_tacc_xsede_org`) */
  resourceId: string;
  /** the label users see and the planner prints, e.g. `stampede` or `xsede.stampede` */
  label: string;
  batch: BatchKind;
  host: string;
  /** ISO-8601 time the data was read */
  takenAt: string;
  source: "probe" | "bundle-conf" | "static-json" | "local";
  nodes: number;
  coresPerNode: number;
  queues: QueueSnapshot[];
  waitHistory: QueueWaitHistory[];
  /** MB/s between the resource and the EManager server; null when unmeasured */
  bandwidthInMBps: number | null;
  bandwidthOutMBps: number | null;
}
