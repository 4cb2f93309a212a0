import type { ResourceSnapshot } from "../model/resource";
import { showCommand } from "../transport/errors";
import { LSF_PROBE, parseLsfProbe } from "./lsf-probe";
import { PBS_PROBE, parsePbsProbe } from "./pbs-probe";
import { SGE_PROBE, parseSgeProbe } from "./sge-probe";
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
  slurm: readable("SLURM", SLURM_PROBE, parseSlurmProbe),
  pbs: readable("PBS", PBS_PROBE, parsePbsProbe),
  lsf: readable("LSF", LSF_PROBE, parseLsfProbe),
  sge: readable("Grid Engine", SGE_PROBE, parseSgeProbe),
  fork: readable("fork", FORK_PROBE, parseForkProbe),
};

/** At most 5 lines of 200 characters: enough to see a login banner, a wrapper's error or HTML. */
function firstLines(text: string): string {
  const lines = text
    .trim()
    .split(/\r?\n/)
    .slice(0, 5)
    .map((l) => (l.length > 200 ? `${l.slice(0, 197)}...` : l));
  return lines.length && lines[0] ? lines.map((l) => `> ${l}`).join("\n") : "(nothing)";
}

/**
 * A probe whose output cannot be read is an error that shows the command and the first lines
 * it printed, never an empty (or made-up) snapshot: a site wrapper, a banner or a changed
 * output format must be visible to the user, not turned into "0 queues".
 */
function readable(name: string, command: string, parse: Probe["parse"]): Probe {
  return {
    name,
    command,
    parse(stdout, id) {
      let snap: ResourceSnapshot;
      try {
        snap = parse(stdout, id);
      } catch (e: unknown) {
        throw new Error(
          `the ${name} probe's output cannot be read (${e instanceof Error ? e.message : String(e)}): ${showCommand(command)} printed:\n${firstLines(stdout)}`,
        );
      }
      if (snap.queues.length === 0)
        throw new Error(
          `the ${name} probe's output names no queue: ${showCommand(command)} printed:\n${firstLines(stdout)}`,
        );
      return snap;
    },
  };
}

export function probeFor(kind: string): Probe | null {
  return PROBES[kind] ?? null;
}

export function parseForkProbe(stdout: string, id: Ident): ResourceSnapshot {
  const [coresLine = "", load = ""] = stdout.trim().split(/\r?\n/);
  // nproc prints one whole number; anything else is not a core count to guess from
  if (!/^\s*[1-9]\d{0,5}\s*$/.test(coresLine)) throw new Error(`nproc did not print a number of cores`);
  const cores = Number.parseInt(coresLine, 10);
  const busy = Math.min(cores, Math.round(Number.parseFloat(load.split(/\s+/)[0] ?? "0") || 0));
  return {
    resourceId: id.resourceId,
    label: id.label,
    batch: "fork",
    host: id.host,
    takenAt: id.now.toISOString(),
    source: "probe",
    nodes: 1,
    coresPerNode: cores,
    queues: [
      {
        name: "fork",
        isDefault: true,
        enabled: true,
        maxWalltimeSeconds: null,
        maxCoresPerJob: cores,
        maxQueuedJobs: null,
        nodesTotal: 1,
        nodesFree: busy === 0 ? 1 : 0,
        coresTotal: cores,
        coresFree: cores - busy,
        jobsQueued: 0,
        jobsRunning: 0,
      },
    ],
    waitHistory: [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
  };
}
