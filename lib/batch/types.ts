/** Batch job state as the engine needs it, whatever the batch system called it. */
export interface JobStatus {
  state: "queued" | "running" | "ended" | "unknown";
  /** the batch system's own words: reason code, exit status, native state */
  reason?: string;
}

export interface PilotJobSpec {
  pilotId: string;
  /** absolute sandbox path on the resource */
  sandbox: string;
  jobName: string;
  cores: number;
  nodes: number;
  walltimeMinutes: number;
  queue: string | null;
  project: string | null;
  envSetup: string[];
}

export type SubmitResult =
  { ok: true; jobId: string } | { ok: false; code: "REJECTED" | "PARSE"; message: string };

/** One batch system: how to write the pilot job, submit, ask and cancel, and read the answers. */
export interface BatchAdapter {
  kind: "slurm" | "pbs" | "lsf" | "sge" | "fork" | "local";
  renderJobScript(spec: PilotJobSpec): string;
  submitCommand(scriptPath: string): string;
  parseSubmit(stdout: string, stderr: string, code: number | null): SubmitResult;
  statusCommand(jobIds: string[]): string;
  /**
   * Every asked id gets a state. "ended" only on the batch system's own word (a final state, or
   * "no such job" for that id); a client that could not reach its server, or an answer that does
   * not place the job, is "unknown" for this poll (lib/batch/trouble.ts). `code`: the exit status.
   */
  parseStatus(stdout: string, stderr: string, jobIds: string[], code?: number | null): Map<string, JobStatus>;
  cancelCommand(jobId: string): string;
}
