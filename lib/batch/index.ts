import { fork } from "./fork";
import { local } from "./local";
import { lsf } from "./lsf";
import { pbs } from "./pbs";
import { sge } from "./sge";
import { slurm } from "./slurm";
import type { BatchAdapter } from "./types";

export type { BatchAdapter, SubmitResult } from "./types";

const ADAPTERS: Record<string, BatchAdapter> = { slurm, pbs, lsf, sge, fork, local };

/** The adapter for a resource's batch system (`local`: the fork adapter on this machine, local.ts). */
export function getBatchAdapter(kind: string): BatchAdapter {
  const a = ADAPTERS[kind];
  if (!a)
    throw new Error(
      `batch system ${kind} is not one EManager can submit to (slurm, pbs, lsf, sge, fork, local)`,
    );
  return a;
}
