import type { ResourceSnapshot } from "../model/resource";
import { LSF_PROBE, parseLsfProbe } from "./lsf-probe";
import { PBS_PROBE, parsePbsProbe } from "./pbs-probe";
import { SLURM_PROBE, parseSlurmProbe } from "./slurm-probe";

/** `fork` has no batch system: the login host's cores and its load. */
export const FORK_PROBE = "nproc && (cat /proc/loadavg 2>/dev/null || true)";

type Ident = { resourceId: string; label: string; host: string; now: Date };

export interface Probe {
  name: string;
  /** one remote command line; its stdout is what `parse` reads */
  command: string;
  parse(stdout: string, id: Ident): ResourceSnapshot;
}

/**
 * The probe of each batch system. `fork` has no batch system: its probe counts the login
 * host's cores and reports them as one always-open queue.
 */
const PROBES: Record<string, Probe> = {
  slurm: { name: "SLURM", command: SLURM_PROBE, parse: parseSlurmProbe },
  pbs: { name: "PBS", command: PBS_PROBE, parse: parsePbsProbe },
  lsf: { name: "LSF", command: LSF_PROBE, parse: parseLsfProbe },
  fork: { name: "fork", command: FORK_PROBE, parse: parseForkProbe },
};

export function probeFor(kind: string): Probe | null {
  return PROBES[kind] ?? null;
}

export function parseForkProbe(stdout: string, id: Ident): ResourceSnapshot {
  const [coresLine = "", load = ""] = stdout.trim().split(/\r?\n/);
  const cores = Math.max(1, Number.parseInt(coresLine, 10) || 1);
  const busy = Math.min(cores, Math.round(Number.parseFloat(load.split(/\s+/)[0] ?? "0") || 0));
  return {
    resourceId: id.resourceId, label: id.label, batch: "fork", host: id.host, takenAt: id.now.toISOString(), source: "probe", nodes: 1, coresPerNode: cores,
    queues: [{ name: "fork", isDefault: true, enabled: true, maxWalltimeSeconds: null, maxCoresPerJob: cores, maxQueuedJobs: null, nodesTotal: 1, nodesFree: busy === 0 ? 1 : 0, coresTotal: cores, coresFree: cores - busy, jobsQueued: 0, jobsRunning: 0 }],
    waitHistory: [], bandwidthInMBps: null, bandwidthOutMBps: null,
  };
}
