import { z } from "zod";
import type { QueueSnapshot, ResourceSnapshot } from "../model/resource";
import { maxOf } from "../util/extent";

/**
 * Live LSF probe: queues with their state, slot limits and job counts (`bqueues -w`), their
 * run limits (`bqueues -l`, the RUNLIMIT block), the default queue (`bparams`), and hosts with
 * their slots (`bhosts -w`). The text forms, because `-json` exists only from LSF 10.1 on and
 * not in OpenLava; the queue reader takes `bqueues -o … -json` too.
 */
export const LSF_PROBE =
  "bqueues -w && echo '--limits--' && bqueues -l && echo '--params--' && (bparams 2>/dev/null || true) && echo '--hosts--' && bhosts -w";

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

/** The columns EManager needs from each table; `-` (no limit) and missing counts are allowed. */
const ZQueueRow = z.object({
  QUEUE_NAME: z.string().min(1),
  STATUS: z.string().min(1),
  MAX: z.string().optional(),
  PEND: z.string().optional(),
  RUN: z.string().optional(),
});
const ZHostRow = z.object({
  HOST_NAME: z.string().min(1),
  STATUS: z.string().min(1),
  MAX: z.string(),
  NJOBS: z.string(),
});
const ZBqueuesJson = z.object({
  COMMAND: z.literal("bqueues"),
  RECORDS: z.array(z.record(z.string(), z.string())),
});
export type LsfQueueRow = z.infer<typeof ZQueueRow>;
export type LsfHostRow = z.infer<typeof ZHostRow>;

/**
 * `bqueues -w` (or its `-json` form) → queue rows. Text without the QUEUE_NAME header (an
 * error such as "LSF is down") throws with that text, so the probe reports it as it is.
 */
export function parseBqueues(text: string): LsfQueueRow[] {
  const t = text.trim();
  const rows = t.startsWith("{") ? bqueuesJson(t) : /^QUEUE_NAME\s/.test(t) ? parseLsfTable(t) : null;
  if (!rows) throw new Error(`bqueues printed no queue table: ${JSON.stringify(t.slice(0, 200))}`);
  return rows.flatMap((r) => {
    const q = ZQueueRow.safeParse(r);
    return q.success ? [q.data] : [];
  });
}

function bqueuesJson(t: string): Record<string, string>[] | null {
  try {
    const doc = ZBqueuesJson.safeParse(JSON.parse(t));
    return doc.success ? doc.data.RECORDS : null;
  } catch {
    return null;
  }
}

/** `bhosts [-w]` → host rows; like bqueues, anything but the table throws with the text. */
export function parseBhosts(text: string): LsfHostRow[] {
  const t = text.trim();
  if (!/^HOST_NAME\s/.test(t))
    throw new Error(`bhosts printed no host table: ${JSON.stringify(t.slice(0, 200))}`);
  return parseLsfTable(t).flatMap((r) => {
    const h = ZHostRow.safeParse(r);
    return h.success ? [h.data] : [];
  });
}

/**
 * `bqueues -l` (or `bjobs -l`): per `QUEUE: name`, the value line under RUNLIMIT ("480.0 min")
 * and under PROCLIMIT / TASKLIMIT (LSF 10's name for it): `[min [default]] max` slots per job.
 */
export function parseQueueLimits(text: string): Map<string, { runSeconds?: number; maxSlots?: number }> {
  const out = new Map<string, { runSeconds?: number; maxSlots?: number }>();
  let queue: string | null = null;
  let want: "run" | "slots" | null = null;
  for (const line of text.split(/\r?\n/)) {
    const q = /^QUEUE:\s*(\S+)/.exec(line);
    if (q) {
      queue = q[1]!;
      want = null;
      out.set(queue, {});
    } else if (/^\s*RUNLIMIT\s*$/.test(line)) want = "run";
    else if (/^\s*(PROCLIMIT|TASKLIMIT)\s*$/.test(line)) want = "slots";
    else if (want && queue) {
      const lim = out.get(queue)!;
      const m = /([\d.]+)\s*min/.exec(line);
      const nums = line
        .trim()
        .split(/\s+/)
        .filter((x) => /^\d+$/.test(x));
      if (want === "run" && m) lim.runSeconds = Math.round(Number(m[1]) * 60);
      if (want === "slots" && nums.length) lim.maxSlots = Number(nums[nums.length - 1]);
      want = null;
    }
  }
  return out;
}

/** Run limits alone, in seconds. */
export function parseRunLimits(text: string): Map<string, number> {
  return new Map(
    [...parseQueueLimits(text)].flatMap(([q, l]) =>
      l.runSeconds !== undefined ? [[q, l.runSeconds] as const] : [],
    ),
  );
}

/** The probe's four sections, each required (a missing one means the command did not run through). */
const ZSections = z.tuple([z.string(), z.string(), z.string(), z.string()]);

export function parseLsfProbe(
  out: string,
  id: { resourceId: string; label: string; host: string; now: Date },
): ResourceSnapshot {
  const parts = out.split(/^--(?:limits|params|hosts)--$/m);
  const sec = ZSections.safeParse(parts);
  if (!sec.success)
    throw new Error(
      `the LSF probe printed ${parts.length} of its 4 sections (bqueues -w, bqueues -l, bparams, bhosts -w)`,
    );
  const [queuesText, limitsText, paramsText, hostsText] = sec.data;
  const limits = parseQueueLimits(limitsText);
  const defaults = (/DEFAULT_QUEUE\s*=\s*(.+)/.exec(paramsText)?.[1] ?? "").trim().split(/\s+/);
  // compute hosts: open ones, and those closed only because they are busy (closed_Full, closed_Excl;
  // OpenLava's plain bhosts says "closed"); MAX 0 is a login node. Only open hosts have free slots.
  const hosts = parseBhosts(hostsText).filter(
    (h) => /^(ok|closed_Full|closed_Excl|closed)$/.test(h.STATUS) && (n(h.MAX) ?? 0) > 0,
  );
  const open = hosts.filter((h) => h.STATUS === "ok");
  const slots = hosts.reduce((s, h) => s + (n(h.MAX) ?? 0), 0);
  const free = open.reduce((s, h) => s + Math.max(0, (n(h.MAX) ?? 0) - (n(h.NJOBS) ?? 0)), 0);
  const widest = hosts.length ? maxOf(hosts.map((h) => n(h.MAX) ?? 0)) : 0;
  const queues: QueueSnapshot[] = parseBqueues(queuesText).map((q) => ({
    name: q.QUEUE_NAME,
    isDefault: defaults.includes(q.QUEUE_NAME),
    enabled: q.STATUS === "Open:Active",
    maxWalltimeSeconds: limits.get(q.QUEUE_NAME)?.runSeconds ?? null,
    // a per-job slot limit when the queue has one; else MAX, the queue's slots for all its jobs, bounds it
    maxCoresPerJob: limits.get(q.QUEUE_NAME)?.maxSlots ?? n(q.MAX),
    maxQueuedJobs: null,
    nodesTotal: hosts.length,
    nodesFree: open.filter((h) => (n(h.NJOBS) ?? 0) === 0).length,
    coresTotal: slots,
    coresFree: free,
    jobsQueued: n(q.PEND) ?? 0,
    jobsRunning: n(q.RUN) ?? 0,
  }));
  return {
    resourceId: id.resourceId,
    label: id.label,
    batch: "lsf",
    host: id.host,
    takenAt: id.now.toISOString(),
    source: "probe",
    nodes: hosts.length,
    coresPerNode: widest,
    queues,
    waitHistory: [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
  };
}
