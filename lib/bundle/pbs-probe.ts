import { parsePbsBlocks, pbsDuration, type PbsBlock } from "../batch/pbs-attrs";
import type { QueueSnapshot, ResourceSnapshot } from "../model/resource";

/**
 * Live PBS probe (PBS Pro, OpenPBS and Torque read the same text forms): the server's default
 * queue (`qstat -Bf`), every queue with its limits and job counts (`qstat -Qf`), and every node
 * with its cores and state (`pbsnodes -a`). JSON output (-F json) is PBS Pro only, so the text
 * forms are what EManager asks for.
 */
export const PBS_PROBE = "qstat -Bf && echo '--queues--' && qstat -Qf && echo '--nodes--' && pbsnodes -a";

const num = (v: string | undefined): number | null => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null);

/** `Transit:0 Queued:1 Held:0 Waiting:0 Running:2 Exiting:0 Begun:0` → counts by word. */
export function stateCount(v: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [, k, n] of (v ?? "").matchAll(/(\w+):(\d+)/g)) out[k!] = Number(n);
  return out;
}

export interface PbsNode {
  name: string;
  cores: number;
  coresUsed: number;
  /** free, job-busy, job-exclusive, offline, down, … (comma-separated when several) */
  state: string;
}

/** `pbsnodes -a`: PBS Pro gives resources_available.ncpus / resources_assigned.ncpus, Torque np and a jobs list. */
export function parsePbsNodes(text: string): PbsNode[] {
  return parsePbsBlocks(text)
    .filter((b) => b.attrs.has("state"))
    .map((b) => {
      const cores = num(b.attrs.get("resources_available.ncpus")) ?? num(b.attrs.get("np")) ?? num(b.attrs.get("pcpus")) ?? 0;
      const assigned = num(b.attrs.get("resources_assigned.ncpus"));
      const jobSlots = (b.attrs.get("jobs") ?? "").split(",").map((s) => s.trim()).filter(Boolean).length;
      return { name: b.name, cores, coresUsed: Math.min(cores, assigned ?? jobSlots), state: b.attrs.get("state")!.trim() };
    });
}

const usable = (n: PbsNode) => !/down|offline|unknown|stale/.test(n.state);

function queueOf(b: PbsBlock, nodes: PbsNode[], defaultQueue: string | null): QueueSnapshot {
  const a = b.attrs;
  const counts = stateCount(a.get("state_count"));
  const up = nodes.filter(usable);
  const coresTotal = up.reduce((s, n) => s + n.cores, 0);
  const maxNodes = num(a.get("resources_max.nodect")) ?? num(a.get("resources_max.nodes"));
  const perNode = up.length ? Math.max(...up.map((n) => n.cores)) : 0;
  return {
    name: b.name,
    isDefault: b.name === defaultQueue,
    enabled: /^true$/i.test(a.get("enabled") ?? "") && /^true$/i.test(a.get("started") ?? ""),
    maxWalltimeSeconds: pbsDuration(a.get("resources_max.walltime")),
    // resources_max.nodect/nodes count nodes; turn them into cores with the widest node
    maxCoresPerJob: num(a.get("resources_max.ncpus")) ?? (maxNodes !== null ? maxNodes * Math.max(1, perNode) : null),
    maxQueuedJobs: num(a.get("max_queued")) ?? num(a.get("max_user_queuable")),
    nodesTotal: up.length,
    nodesFree: up.filter((n) => n.coresUsed === 0 && /free/.test(n.state)).length,
    coresTotal,
    coresFree: up.reduce((s, n) => s + Math.max(0, n.cores - n.coresUsed), 0),
    jobsQueued: (counts.Queued ?? 0) + (counts.Held ?? 0) + (counts.Waiting ?? 0),
    jobsRunning: (counts.Running ?? 0) + (counts.Exiting ?? 0) + (counts.Begun ?? 0),
  };
}

export function parsePbsProbe(out: string, id: { resourceId: string; label: string; host: string; now: Date }): ResourceSnapshot {
  const [server = "", rest = ""] = out.split("--queues--");
  const [queuesText = "", nodesText = ""] = rest.split("--nodes--");
  const defaultQueue = parsePbsBlocks(server).map((b) => b.attrs.get("default_queue")).find(Boolean)?.trim() ?? null;
  const nodes = parsePbsNodes(nodesText);
  // routing queues place jobs elsewhere; EManager submits to execution queues
  const queues = parsePbsBlocks(queuesText).filter((b) => !/route/i.test(b.attrs.get("queue_type") ?? "")).map((b) => queueOf(b, nodes, defaultQueue));
  const up = nodes.filter(usable);
  return {
    resourceId: id.resourceId, label: id.label, batch: "pbs", host: id.host, takenAt: id.now.toISOString(), source: "probe",
    nodes: up.length, coresPerNode: up.length ? Math.max(...up.map((n) => n.cores)) : 0, queues, waitHistory: [], bandwidthInMBps: null, bandwidthOutMBps: null,
  };
}
