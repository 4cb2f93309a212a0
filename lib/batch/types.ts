import type { JobStatus, PilotJobSpec } from "../engine/ports";

export type SubmitResult = { ok: true; jobId: string } | { ok: false; code: "REJECTED" | "PARSE"; message: string };

/** One batch system: how to write the pilot job, submit, ask and cancel, and read the answers. */
export interface BatchAdapter {
  kind: "slurm" | "pbs" | "lsf" | "fork";
  renderJobScript(spec: PilotJobSpec): string;
  submitCommand(scriptPath: string): string;
  parseSubmit(stdout: string, stderr: string, code: number | null): SubmitResult;
  statusCommand(jobIds: string[]): string;
  parseStatus(stdout: string, stderr: string, jobIds: string[]): Map<string, JobStatus>;
  cancelCommand(jobId: string): string;
}
