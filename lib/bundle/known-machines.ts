import type { BatchKind } from "../model/resource";

/**
 * What the original bundle agent hard-coded about the SC2014 machines ("backdoor" tables,
 * reference §2.3 and §6.1): node counts, cores per node, default queue and its limits, and
 * radical.pilot's label. Used when a bundle configuration names these hosts, so the aimes
 * planner reproduces the demo's plan without live probes of machines that no longer exist.
 */
export interface KnownMachine {
  label: string;
  batch: BatchKind;
  nodes: number;
  coresPerNode: number;
  queue: string;
  maxCoresPerJob: number;
  maxWalltimeSeconds: number;
  maxQueuedJobs: number | null;
}

export const KNOWN_MACHINES: Record<string, KnownMachine> = {
  stampede: {
    label: "xsede.stampede",
    batch: "slurm",
    nodes: 6400,
    coresPerNode: 16,
    queue: "normal",
    maxCoresPerJob: 4096,
    maxWalltimeSeconds: 48 * 3600,
    maxQueuedJobs: 50,
  },
  trestles: {
    label: "xsede.trestles",
    batch: "pbs",
    nodes: 324,
    coresPerNode: 32,
    queue: "normal",
    maxCoresPerJob: 1024,
    maxWalltimeSeconds: 48 * 3600,
    maxQueuedJobs: null,
  },
  gordon: {
    label: "xsede.gordon",
    batch: "pbs",
    nodes: 1024,
    coresPerNode: 16,
    queue: "normal",
    maxCoresPerJob: 1024,
    maxWalltimeSeconds: 48 * 3600,
    maxQueuedJobs: null,
  },
  blacklight: {
    label: "xsede.blacklight",
    batch: "pbs",
    nodes: 256,
    coresPerNode: 16,
    queue: "batch",
    maxCoresPerJob: 1024,
    maxWalltimeSeconds: 720000,
    maxQueuedJobs: null,
  },
  hopper: {
    label: "nersc.hopper",
    batch: "pbs",
    nodes: 6384,
    coresPerNode: 24,
    queue: "regular",
    maxCoresPerJob: 4096 * 24,
    maxWalltimeSeconds: 48 * 3600,
    maxQueuedJobs: 32,
  },
};

export function knownMachine(hostname: string): KnownMachine | undefined {
  return KNOWN_MACHINES[hostname.split(".")[0] ?? ""];
}
