import { z } from "zod";
import type { QueueSnapshot, ResourceSnapshot } from "../model/resource";
import { maxOf } from "../util/extent";

/**
 * Live Grid Engine probe: slots per cluster queue and how many are free or disabled
 * (`qstat -g c`), each queue's configuration for its h_rt and slots (`qconf -sq`, for every
 * queue `qconf -sql` names), the execution hosts and their cores (`qhost`) and every job
 * (`qstat -u '*'`). Grid Engine has no default queue: the scheduler picks any queue that fits,
 * so `all.q`, the one every installation creates, is reported as the default.
 */
export const SGE_PROBE =
  "qstat -g c && echo '--queues--' && for q in $(qconf -sql); do qconf -sq \"$q\"; done && echo '--hosts--' && qhost && echo '--jobs--' && qstat -u '*'";

/** `qstat -g c`: one row per cluster queue. */
export interface ClusterQueueRow {
  name: string;
  used: number;
  avail: number;
  total: number;
  /** instances disabled, suspended, in alarm or error (column cdsuE) */
  cdsuE: number;
}

const ZRow = z.tuple([
  z.string().min(1),
  z.string(),
  z.coerce.number().int(),
  z.coerce.number().int(),
  z.coerce.number().int(),
  z.coerce.number().int(),
  z.coerce.number().int(),
  z.coerce.number().int(),
]);

export function parseQstatGc(text: string): ClusterQueueRow[] {
  const out: ClusterQueueRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^(CLUSTER QUEUE|-{5,})/.test(line.trim()) || !line.trim()) continue;
    const r = ZRow.safeParse(line.trim().split(/\s+/));
    if (r.success) {
      const [name, , used, , avail, total, , cdsuE] = r.data;
      out.push({ name, used, avail, total, cdsuE });
    }
  }
  return out;
}

/** h_rt and friends: `INFINITY`, `[[h:]m:]s` or seconds; null when unlimited or unreadable. */
export function sgeDuration(v: string | undefined): number | null {
  const s = (v ?? "").trim();
  if (!s || /^INFINITY$/i.test(s)) return null;
  if (!/^\d+(:\d+){0,2}$/.test(s)) return null;
  return s.split(":").reduce((acc, part) => acc * 60 + Number(part), 0);
}

/** `qconf -sq` blocks (each starts with `qname`): queue name → its attributes. */
export function parseQueueConfs(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let cur: Map<string, string> | null = null;
  for (const line of text.split(/\r?\n/)) {
    // continuation lines (a long value wrapped with a trailing backslash) add nothing the probe reads
    const m = /^(\w+)\s+(.*?)\s*$/.exec(line);
    if (!m) continue;
    if (m[1] === "qname") out.set(m[2]!, (cur = new Map()));
    cur?.set(m[1]!, m[2]!);
  }
  return out;
}

/** `qhost`: execution hosts (the `global` line left out) with their cores. */
export function parseQhost(text: string): { name: string; cores: number }[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/))
    .filter((t) => t.length >= 3 && t[0] !== "global" && t[0] !== "HOSTNAME" && /^\d+$/.test(t[2]!))
    .map((t) => ({ name: t[0]!, cores: Number(t[2]) }));
}

/** `qstat -u '*'` rows: state letters and, for running jobs, the queue instance (`all.q@host`). */
export function parseQstatJobs(
  text: string,
): { id: string; state: string; queue: string | null; host: string | null }[] {
  const out: { id: string; state: string; queue: string | null; host: string | null }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim().split(/\s+/);
    if (!/^\d+$/.test(t[0] ?? "") || t.length < 5) continue;
    const inst = t.find((x) => /^[^@\s]+@\S+$/.test(x));
    out.push({
      id: t[0]!,
      state: t[4]!,
      queue: inst?.split("@")[0] ?? null,
      host: inst?.split("@")[1] ?? null,
    });
  }
  return out;
}

const ZSections = z.tuple([z.string(), z.string(), z.string(), z.string()]);

export function parseSgeProbe(
  out: string,
  id: { resourceId: string; label: string; host: string; now: Date },
): ResourceSnapshot {
  const parts = out.split(/^--(?:queues|hosts|jobs)--$/m);
  const sec = ZSections.safeParse(parts);
  if (!sec.success)
    throw new Error(
      `the Grid Engine probe printed ${parts.length} of its 4 sections (qstat -g c, qconf -sq, qhost, qstat -u '*')`,
    );
  const [gcText, confText, hostText, jobText] = sec.data;
  const rows = parseQstatGc(gcText);
  if (rows.length === 0) throw new Error("qstat -g c listed no cluster queue");
  const confs = parseQueueConfs(confText);
  const hosts = parseQhost(hostText);
  const jobs = parseQstatJobs(jobText);
  const busyHosts = new Set(
    jobs
      .map((j) => j.host)
      .filter((h): h is string => h !== null)
      .map((h) => h.split(".")[0]),
  );
  // pending jobs wait in the cell, not in a queue: any queue that fits may take them
  const pending = jobs.filter((j) => j.queue === null && /[qw]/.test(j.state)).length;
  const queues: QueueSnapshot[] = rows.map((r) => {
    const conf = confs.get(r.name);
    // slots "8" or "1,[vm=4],[@big=16]": the widest a job can be on one host in this queue
    const slotValues = [...(conf?.get("slots") ?? "").matchAll(/(\d+)/g)].map((m) => Number(m[1]));
    return {
      name: r.name,
      isDefault: r.name === "all.q",
      enabled: r.total > 0 && r.cdsuE < r.total,
      maxWalltimeSeconds: sgeDuration(conf?.get("h_rt")),
      maxCoresPerJob: slotValues.length
        ? Math.min(maxOf(slotValues, 0), Math.max(r.total, 1))
        : r.total || null,
      maxQueuedJobs: null,
      nodesTotal: hosts.length,
      nodesFree: hosts.filter((h) => !busyHosts.has(h.name.split(".")[0])).length,
      coresTotal: r.total,
      coresFree: r.avail,
      jobsQueued: pending,
      jobsRunning: jobs.filter((j) => j.queue === r.name).length,
    };
  });
  return {
    resourceId: id.resourceId,
    label: id.label,
    batch: "sge",
    host: id.host,
    takenAt: id.now.toISOString(),
    source: "probe",
    nodes: hosts.length,
    coresPerNode: maxOf(
      hosts.map((h) => h.cores),
      0,
    ),
    queues,
    waitHistory: [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
  };
}
