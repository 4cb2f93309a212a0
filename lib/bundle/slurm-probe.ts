import type { QueueSnapshot, ResourceSnapshot } from "../model/resource";

/**
 * Live SLURM probe: one command, two answers. `sinfo` per partition: name (* = default),
 * availability, time limit, nodes, CPUs allocated/idle/other/total; `squeue` per job: partition and state.
 */
export const SLURM_PROBE = "sinfo -h -o '%P|%a|%l|%D|%C' && echo '--squeue--' && squeue -h -o '%P|%T'";

/** SLURM time limits: `infinite`, `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS` → seconds (null = unlimited). */
export function slurmDuration(s: string): number | null {
  if (/^(infinite|UNLIMITED|n\/a)$/i.test(s)) return null;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(s.trim());
  if (!m) return null;
  const [, d, a, b, c] = m;
  const days = Number(d ?? 0);
  if (d !== undefined) return days * 86400 + Number(a) * 3600 + Number(b ?? 0) * 60 + Number(c ?? 0);
  if (c !== undefined) return Number(a) * 3600 + Number(b) * 60 + Number(c);
  if (b !== undefined) return Number(a) * 60 + Number(b);
  return Number(a) * 60;
}

export function parseSlurmProbe(
  out: string,
  id: { resourceId: string; label: string; host: string; now: Date },
): ResourceSnapshot {
  const [sinfo = "", squeue = ""] = out.split("--squeue--");
  const jobs = new Map<string, { q: number; r: number }>();
  for (const l of squeue.split("\n")) {
    const [p, st] = l.trim().split("|");
    if (!p || !st) continue;
    const c = jobs.get(p) ?? { q: 0, r: 0 };
    if (st === "PENDING") c.q += 1;
    else if (st === "RUNNING" || st === "COMPLETING") c.r += 1;
    jobs.set(p, c);
  }
  const queues: QueueSnapshot[] = [];
  let nodes = 0;
  let cpus = 0;
  for (const l of sinfo.split("\n")) {
    const f = l.trim().split("|");
    if (f.length < 5) continue;
    const [rawName, avail, limit, nNodes, cpuStr] = f as [string, string, string, string, string];
    const [alloc = 0, idle = 0, , total = 0] = cpuStr.split("/").map(Number);
    const name = rawName.replace(/\*$/, "");
    const j = jobs.get(name) ?? { q: 0, r: 0 };
    nodes = Math.max(nodes, Number(nNodes));
    cpus = Math.max(cpus, total);
    queues.push({
      name,
      isDefault: rawName.endsWith("*"),
      enabled: avail === "up",
      maxWalltimeSeconds: slurmDuration(limit),
      maxCoresPerJob: total,
      maxQueuedJobs: null,
      nodesTotal: Number(nNodes),
      nodesFree: alloc === 0 ? Number(nNodes) : 0,
      coresTotal: total,
      coresFree: idle,
      jobsQueued: j.q,
      jobsRunning: j.r,
    });
    void alloc;
  }
  return {
    resourceId: id.resourceId,
    label: id.label,
    batch: "slurm",
    host: id.host,
    takenAt: id.now.toISOString(),
    source: "probe",
    nodes,
    coresPerNode: nodes > 0 ? Math.round(cpus / nodes) : cpus,
    queues,
    waitHistory: [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
  };
}
