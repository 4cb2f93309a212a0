import { z } from "zod";
import { parsePbsAny, parsePbsBlocks, pbsDuration, type PbsBlock } from "../batch/pbs-attrs";
import type { QueueSnapshot, ResourceSnapshot } from "../model/resource";
import { maxOf } from "../util/extent";

/**
 * Live PBS probe (PBS Pro, OpenPBS and Torque): the server's default queue (`qstat -Bf`),
 * every queue with its limits and job counts (`qstat -Qf`), and every node with its cores and
 * state (`pbsnodes -a`). PBS Pro answers the last two as JSON (`-F json`), which keeps long
 * values whole; Torque has no `-F` and refuses it, so the text form is asked for next. The
 * parser reads either form in each section.
 */
export const PBS_PROBE =
  "qstat -Bf && echo '--queues--' && (qstat -Qf -F json 2>/dev/null || qstat -Qf) && echo '--nodes--' && (pbsnodes -av -F json 2>/dev/null || pbsnodes -a)";

const num = (v: string | undefined): number | null =>
  v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
/** A limit as a number, or PBS Pro's per-user form `[u:PBS_GENERIC=5]`. */
const limit = (v: string | undefined): number | null =>
  num(v) ?? num(/^\[u:PBS_GENERIC=(\d+)\]$/.exec(v?.trim() ?? "")?.[1]);

/** `Transit:0 Queued:1 Held:0 Waiting:0 Running:2 Exiting:0 Begun:0` → counts by word. */
export function stateCount(v: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [, k, n] of (v ?? "").matchAll(/(\w+):(\d+)/g)) out[k!] = Number(n);
  return out;
}

export interface PbsNode {
  name: string;
  /** the physical host: vnodes of one PBS Pro multi-vnode host share it */
  host: string;
  cores: number;
  coresUsed: number;
  /** free, job-busy, job-exclusive, offline, down, … (comma-separated when several) */
  state: string;
}

/** What a node block must hold to count: a state. */
const ZNodeBlock = z.object({
  name: z.string().min(1),
  attrs: z.map(z.string(), z.string()).refine((a) => a.has("state"), "no state"),
});

/**
 * `pbsnodes -a` in either form: PBS Pro gives resources_available.ncpus and
 * resources_assigned.ncpus (JSON leaves the latter out when nothing is assigned), Torque np
 * and a jobs list with one entry per busy core.
 */
export function parsePbsNodes(text: string): PbsNode[] {
  return parsePbsAny(text)
    .filter((b) => ZNodeBlock.safeParse(b).success)
    .map((b) => {
      const a = b.attrs;
      const cores = num(a.get("resources_available.ncpus")) ?? num(a.get("np")) ?? num(a.get("pcpus")) ?? 0;
      const assigned = num(a.get("resources_assigned.ncpus"));
      const jobSlots = (a.get("jobs") ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean).length;
      // PBS Pro always has resources_available.ncpus; an absent assigned count there means none
      const used = assigned ?? (a.has("resources_available.ncpus") ? 0 : jobSlots);
      return {
        name: b.name,
        host: a.get("resources_available.host")?.trim() || b.name,
        cores,
        coresUsed: Math.min(cores, used),
        state: a.get("state")!.trim(),
      };
    });
}

const usable = (n: PbsNode) => !/down|offline|unknown|stale|unresolvable/.test(n.state);

/** One entry per physical host: a multi-vnode host is one node whose cores are its vnodes' sum. */
interface Host {
  cores: number;
  used: number;
  idle: boolean;
}
function hostsOf(nodes: PbsNode[]): Host[] {
  const by = new Map<string, Host>();
  for (const n of nodes.filter(usable)) {
    if (n.cores === 0) continue; // the natural vnode of a multi-vnode host holds no cores itself
    const h = by.get(n.host) ?? { cores: 0, used: 0, idle: true };
    h.cores += n.cores;
    h.used += n.coresUsed;
    h.idle &&= n.coresUsed === 0 && /free/.test(n.state);
    by.set(n.host, h);
  }
  return [...by.values()];
}

function queueOf(b: PbsBlock, hosts: Host[], defaultQueue: string | null): QueueSnapshot {
  const a = b.attrs;
  const counts = stateCount(a.get("state_count"));
  const perNode = maxOf(
    hosts.map((h) => h.cores),
    0,
  );
  const maxNodes = num(a.get("resources_max.nodect")) ?? num(a.get("resources_max.nodes"));
  const allCores = hosts.reduce((s, h) => s + h.cores, 0);
  const allFree = hosts.reduce((s, h) => s + Math.max(0, h.cores - h.used), 0);
  // PBS Pro may give a queue its own share (resources_available.ncpus/nodect): it bounds the totals
  const ownCores = num(a.get("resources_available.ncpus"));
  const ownNodes = num(a.get("resources_available.nodect"));
  const coresTotal = ownCores ?? allCores;
  return {
    name: b.name,
    isDefault: b.name === defaultQueue,
    enabled: /^true$/i.test(a.get("enabled") ?? "") && /^true$/i.test(a.get("started") ?? ""),
    maxWalltimeSeconds: pbsDuration(a.get("resources_max.walltime")),
    // resources_max.nodect/nodes count nodes; turn them into cores with the widest node
    maxCoresPerJob:
      num(a.get("resources_max.ncpus")) ?? (maxNodes !== null ? maxNodes * Math.max(1, perNode) : null),
    maxQueuedJobs: limit(a.get("max_queued")) ?? limit(a.get("max_user_queuable")),
    nodesTotal: ownNodes ?? hosts.length,
    nodesFree: Math.min(ownNodes ?? Infinity, hosts.filter((h) => h.idle).length),
    coresTotal,
    coresFree: Math.min(
      allFree,
      Math.max(0, coresTotal - (ownCores !== null ? (num(a.get("resources_assigned.ncpus")) ?? 0) : 0)),
    ),
    jobsQueued: (counts.Queued ?? 0) + (counts.Held ?? 0) + (counts.Waiting ?? 0),
    jobsRunning: (counts.Running ?? 0) + (counts.Exiting ?? 0) + (counts.Begun ?? 0),
  };
}

/** The probe's three sections, each required (a missing one means the command did not run through). */
const ZSections = z.tuple([z.string(), z.string(), z.string()]);

export function parsePbsProbe(
  out: string,
  id: { resourceId: string; label: string; host: string; now: Date },
): ResourceSnapshot {
  const parts = out.split(/^--(?:queues|nodes)--$/m);
  const sec = ZSections.safeParse(parts);
  if (!sec.success)
    throw new Error(
      `the PBS probe printed ${parts.length} of its 3 sections (qstat -Bf, qstat -Qf, pbsnodes -a)`,
    );
  const [server, queuesText, nodesText] = sec.data;
  const defaultQueue =
    parsePbsBlocks(server)
      .map((b) => b.attrs.get("default_queue"))
      .find(Boolean)
      ?.trim() ?? null;
  const hosts = hostsOf(parsePbsNodes(nodesText));
  // routing queues place jobs elsewhere; EManager submits to execution queues
  const queueBlocks = parsePbsAny(queuesText).filter(
    (b) => b.attrs.has("queue_type") && !/route/i.test(b.attrs.get("queue_type")!),
  );
  if (queueBlocks.length === 0) throw new Error("qstat -Qf listed no execution queue");
  return {
    resourceId: id.resourceId,
    label: id.label,
    batch: "pbs",
    host: id.host,
    takenAt: id.now.toISOString(),
    source: "probe",
    nodes: hosts.length,
    coresPerNode: maxOf(
      hosts.map((h) => h.cores),
      0,
    ),
    queues: queueBlocks.map((b) => queueOf(b, hosts, defaultQueue)),
    waitHistory: [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
  };
}
