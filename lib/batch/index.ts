import { slurm } from "./slurm";
import type { BatchAdapter } from "./types";

export type { BatchAdapter, SubmitResult } from "./types";

/** The adapter for a resource kind; PBS and LSF are parsed and rendered but not wired for submission yet. */
export function getBatchAdapter(kind: string): BatchAdapter {
  if (kind === "slurm") return slurm;
  throw new Error(`batch system ${kind} is not supported for launching pilots yet (SLURM and local are)`);
}
