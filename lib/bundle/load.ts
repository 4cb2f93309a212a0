import { z } from "zod";
import type { QueueSnapshot, ResourceSnapshot } from "../model/resource";
import { knownMachine } from "./known-machines";

/**
 * Resource files for the planner: the original bundle configuration (`cluster_type=… hostname=…
 * username=…` lines), the static snapshot layout (`cluster_config` / `cluster_workload` /
 * `cluster_bandwidth`), or EManager's own JSON (an array of ResourceSnapshot).
 */
export interface ImportedResource {
  id: string;
  hostname: string;
  username: string;
  clusterType: string;
  line: number;
}

export interface ImportReport {
  imported: ImportedResource[];
  skipped: { line: number; text: string; why: string }[];
}

const VALID = ["cluster_type", "hostname", "username", "password", "key_filename"];

export function importBundleConf(text: string): ImportReport {
  const rep: ImportReport = { imported: [], skipped: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || /^db_dir=/.test(line)) return;
    const kv = new Map<string, string>();
    const bad: string[] = [];
    for (const tok of line.split(/\s+/)) {
      const eq = tok.indexOf("=");
      if (eq <= 0) bad.push(tok);
      else if (!VALID.includes(tok.slice(0, eq))) bad.push(tok.slice(0, eq));
      else kv.set(tok.slice(0, eq), tok.slice(eq + 1));
    }
    const miss = ["cluster_type", "hostname", "username"].filter((k) => !kv.has(k));
    if (miss.length)
      return void rep.skipped.push({ line: i + 1, text: line, why: `missing ${miss.join(", ")}` });
    const type = kv.get("cluster_type")!;
    if (!["slurm", "pbs", "moab", "lsf"].includes(type))
      return void rep.skipped.push({
        line: i + 1,
        text: line,
        why: `cluster_type ${type} is not one of slurm, pbs, lsf (moab)`,
      });
    const hostname = kv.get("hostname")!;
    if (rep.imported.some((r) => r.hostname === hostname))
      return void rep.skipped.push({
        line: i + 1,
        text: line,
        why: `${hostname} is listed twice; the first line is used`,
      });
    rep.imported.push({
      id: hostname.replace(/\./g, "_"),
      hostname,
      username: kv.get("username")!,
      clusterType: type,
      line: i + 1,
    });
    if (bad.length)
      rep.skipped.push({ line: i + 1, text: line, why: `ignored unknown field(s): ${bad.join(", ")}` });
  });
  return rep;
}

function queue(name: string, o: Partial<QueueSnapshot>): QueueSnapshot {
  return {
    name,
    isDefault: false,
    enabled: true,
    maxWalltimeSeconds: null,
    maxCoresPerJob: null,
    maxQueuedJobs: null,
    nodesTotal: 0,
    nodesFree: 0,
    coresTotal: 0,
    coresFree: 0,
    jobsQueued: 0,
    jobsRunning: 0,
    ...o,
  };
}

function fromConf(
  rep: ImportReport,
  now: Date,
): { ok: true; snapshots: ResourceSnapshot[] } | { ok: false; errors: { line: number; message: string }[] } {
  const errors: { line: number; message: string }[] = [];
  const snapshots: ResourceSnapshot[] = [];
  for (const r of rep.imported) {
    const m = knownMachine(r.hostname);
    if (!m) {
      errors.push({
        line: r.line,
        message: `${r.hostname}: EManager knows nothing about this machine offline; add it as a resource and probe it, or give a JSON snapshot`,
      });
      continue;
    }
    const cores = m.nodes * m.coresPerNode;
    snapshots.push({
      resourceId: r.id,
      label: m.label,
      batch: m.batch,
      host: r.hostname,
      takenAt: now.toISOString(),
      source: "bundle-conf",
      nodes: m.nodes,
      coresPerNode: m.coresPerNode,
      queues: [
        queue(m.queue, {
          isDefault: true,
          maxWalltimeSeconds: m.maxWalltimeSeconds,
          maxCoresPerJob: m.maxCoresPerJob,
          maxQueuedJobs: m.maxQueuedJobs,
          nodesTotal: m.nodes,
          nodesFree: m.nodes,
          coresTotal: cores,
          coresFree: cores,
        }),
      ],
      waitHistory: [],
      bandwidthInMBps: null,
      bandwidthOutMBps: null,
    });
  }
  if (snapshots.length === 0 && errors.length === 0)
    errors.push({ line: 1, message: "the file names no resource (every line is a comment or was skipped)" });
  return errors.length ? { ok: false, errors } : { ok: true, snapshots };
}

const ZQueueInfo = z.record(
  z.string(),
  z
    .object({
      max_walltime: z.number().optional(),
      num_procs_limit: z.number().optional(),
      queued_jobs_limit: z.number().optional(),
    })
    .passthrough(),
);
const ZWork = z
  .object({
    alive_nodes: z.number(),
    alive_procs: z.number(),
    free_nodes: z.number(),
    free_procs: z.number(),
    num_queueing_jobs: z.number(),
    num_running_jobs: z.number(),
  })
  .passthrough();
const ZStatic = z.object({
  cluster_list: z.array(z.string()).optional(),
  cluster_config: z.record(z.string(), z.object({ num_nodes: z.number(), queue_info: ZQueueInfo })),
  cluster_workload: z.record(z.string(), z.record(z.string(), ZWork)).optional(),
  cluster_bandwidth: z
    .record(
      z.string(),
      z.record(z.string(), z.object({ in: z.number().optional(), out: z.number().optional() })),
    )
    .optional(),
});

function fromStatic(d: z.infer<typeof ZStatic>, now: Date): ResourceSnapshot[] {
  return Object.entries(d.cluster_config).map(([id, cfg]) => {
    const host = id.replace(/_/g, ".");
    const m = knownMachine(host);
    const work = d.cluster_workload?.[id] ?? {};
    const coresPerNode = m?.coresPerNode ?? 16;
    const queues = Object.entries(cfg.queue_info).map(([name, q]) => {
      const w = work[name];
      return queue(name, {
        isDefault: ["normal", "batch", "default", "regular"].includes(name),
        maxWalltimeSeconds: q.max_walltime ?? null,
        maxCoresPerJob: q.num_procs_limit ?? null,
        maxQueuedJobs: q.queued_jobs_limit ?? null,
        nodesTotal: w?.alive_nodes ?? cfg.num_nodes,
        nodesFree: w?.free_nodes ?? 0,
        coresTotal: w?.alive_procs ?? cfg.num_nodes * coresPerNode,
        coresFree: w?.free_procs ?? 0,
        jobsQueued: w?.num_queueing_jobs ?? 0,
        jobsRunning: w?.num_running_jobs ?? 0,
      });
    });
    const bw = Object.values(d.cluster_bandwidth?.[id] ?? {})[0];
    return {
      resourceId: id,
      label: m?.label ?? host,
      batch: m?.batch ?? "pbs",
      host,
      takenAt: now.toISOString(),
      source: "static-json" as const,
      nodes: cfg.num_nodes,
      coresPerNode,
      queues,
      waitHistory: [],
      bandwidthInMBps: bw?.in ?? null,
      bandwidthOutMBps: bw?.out ?? null,
    };
  });
}

const ZQueueSnapshot = z.object({
  name: z.string(),
  isDefault: z.boolean(),
  enabled: z.boolean(),
  maxWalltimeSeconds: z.number().nullable(),
  maxCoresPerJob: z.number().nullable(),
  maxQueuedJobs: z.number().nullable(),
  nodesTotal: z.number(),
  nodesFree: z.number(),
  coresTotal: z.number(),
  coresFree: z.number(),
  jobsQueued: z.number(),
  jobsRunning: z.number(),
});
export const ZResourceSnapshot = z.object({
  resourceId: z.string(),
  label: z.string(),
  batch: z.enum(["local", "fork", "slurm", "pbs", "lsf", "sge"]),
  host: z.string(),
  takenAt: z.string(),
  source: z.enum(["probe", "bundle-conf", "static-json", "local"]),
  nodes: z.number(),
  coresPerNode: z.number(),
  queues: z.array(ZQueueSnapshot),
  waitHistory: z
    .array(
      z.object({ queue: z.string(), samples: z.number(), medianSeconds: z.number(), p90Seconds: z.number() }),
    )
    .default([]),
  bandwidthInMBps: z.number().nullable().default(null),
  bandwidthOutMBps: z.number().nullable().default(null),
});

export type LoadResources =
  | { ok: true; snapshots: ResourceSnapshot[]; report: ImportReport | null }
  | { ok: false; errors: { line: number; message: string }[] };

export function loadResourcesFile(text: string, opts: { now: Date }): LoadResources {
  const t = text.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    let data: unknown;
    try {
      data = JSON.parse(t);
    } catch (e: unknown) {
      return {
        ok: false,
        errors: [{ line: 1, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }],
      };
    }
    if (Array.isArray(data)) {
      const p = z.array(ZResourceSnapshot).safeParse(data);
      if (!p.success)
        return {
          ok: false,
          errors: p.error.issues.map((i) => ({ line: 1, message: `${i.path.join(".")}: ${i.message}` })),
        };
      return { ok: true, snapshots: p.data, report: null };
    }
    const s = ZStatic.safeParse(data);
    if (!s.success)
      return {
        ok: false,
        errors: s.error.issues.map((i) => ({ line: 1, message: `${i.path.join(".")}: ${i.message}` })),
      };
    return { ok: true, snapshots: fromStatic(s.data, opts.now), report: null };
  }
  const rep = importBundleConf(text);
  const r = fromConf(rep, opts.now);
  return r.ok ? { ok: true, snapshots: r.snapshots, report: rep } : r;
}
