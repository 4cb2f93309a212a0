import type { QueueSnapshot, ResourceSnapshot } from "../model/resource";

/**
 * Live LSF probe: queues with their state, slot limits and job counts (`bqueues -w`), their
 * run limits (`bqueues -l`, the RUNLIMIT block), the default queue (`bparams`), and hosts with
 * their slots (`bhosts -w`).
 */
export const LSF_PROBE = "bqueues -w && echo '--limits--' && bqueues -l && echo '--params--' && (bparams 2>/dev/null || true) && echo '--hosts--' && bhosts -w";

const n = (v: string | undefined): number | null => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);

/** A whitespace table with a header row (bqueues, bhosts): rows as header → value. */
export function parseLsfTable(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const header = lines[0]?.trim().split(/\s+/) ?? [];
  return lines.slice(1).map((l) => {
    const f = l.trim().split(/\s+/);
    return Object.fromEntries(header.map((h, i) => [h, f[i] ?? ""]));
  });
}

/** `bqueues -l`: per `QUEUE: name`, the RUNLIMIT line's minutes ("480.0 min"). */
export function parseRunLimits(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let queue: string | null = null;
  let want = false;
  for (const line of text.split(/\r?\n/)) {
    const q = /^QUEUE:\s*(\S+)/.exec(line);
    if (q) {
      queue = q[1]!;
      want = false;
    } else if (/^\s*RUNLIMIT\s*$/.test(line)) want = true;
    else if (want && queue) {
      const m = /([\d.]+)\s*min/.exec(line);
      if (m) out.set(queue, Math.round(Number(m[1]) * 60));
      want = false;
    }
  }
  return out;
}

export function parseLsfProbe(out: string, id: { resourceId: string; label: string; host: string; now: Date }): ResourceSnapshot {
  const [queuesText = "", r1 = ""] = out.split("--limits--");
  const [limitsText = "", r2 = ""] = r1.split("--params--");
  const [paramsText = "", hostsText = ""] = r2.split("--hosts--");
  const limits = parseRunLimits(limitsText);
  const defaults = (/DEFAULT_QUEUE\s*=\s*(.+)/.exec(paramsText)?.[1] ?? "").trim().split(/\s+/);
  const hosts = parseLsfTable(hostsText).filter((h) => h.HOST_NAME);
  const open = hosts.filter((h) => /^(ok|closed_Full|closed)$/.test(h.STATUS ?? "") && (n(h.MAX) ?? 0) > 0);
  const slots = open.reduce((s, h) => s + (n(h.MAX) ?? 0), 0);
  const used = open.reduce((s, h) => s + (n(h.NJOBS) ?? 0), 0);
  const widest = open.length ? Math.max(...open.map((h) => n(h.MAX) ?? 0)) : 0;
  const queues: QueueSnapshot[] = parseLsfTable(queuesText)
    .filter((q) => q.QUEUE_NAME)
    .map((q) => ({
      name: q.QUEUE_NAME!,
      isDefault: defaults.includes(q.QUEUE_NAME!),
      enabled: q.STATUS === "Open:Active",
      maxWalltimeSeconds: limits.get(q.QUEUE_NAME!) ?? null,
      maxCoresPerJob: n(q.MAX) ?? null,
      maxQueuedJobs: null,
      nodesTotal: open.length,
      nodesFree: open.filter((h) => (n(h.NJOBS) ?? 0) === 0).length,
      coresTotal: slots,
      coresFree: Math.max(0, slots - used),
      jobsQueued: n(q.PEND) ?? 0,
      jobsRunning: n(q.RUN) ?? 0,
    }));
  return {
    resourceId: id.resourceId, label: id.label, batch: "lsf", host: id.host, takenAt: id.now.toISOString(), source: "probe",
    nodes: open.length, coresPerNode: widest, queues, waitHistory: [], bandwidthInMBps: null, bandwidthOutMBps: null,
  };
}
