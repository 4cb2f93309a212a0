import { z } from "zod";
import { sh } from "../shell/quote";
import { ZBatchWord, ZJobId, ZRemotePath } from "../shell/patterns";
import { submitComplaint, perNode, scriptBody } from "./script";
import { unplaced } from "./trouble";
import type { BatchAdapter, JobStatus, PilotJobSpec, SubmitResult } from "./types";

/**
 * IBM Spectrum LSF (and OpenLava, which shares its commands). Jobs go in with `bsub < script`
 * so the #BSUB lines are read; status asks `bjobs` for a delimited custom format, and
 * "Job <id> is not found" means the job has left mbatchd's memory, i.e. it has finished.
 */
const STATE: Record<string, JobStatus["state"]> = {
  PEND: "queued",
  PSUSP: "queued",
  WAIT: "queued",
  PROV: "queued",
  RUN: "running",
  USUSP: "running",
  SSUSP: "running",
  DONE: "ended",
  EXIT: "ended",
  ZOMBI: "ended",
  UNKWN: "unknown",
};

export function lsfState(stat: string, reason = ""): JobStatus {
  const s = STATE[stat.trim().toUpperCase()];
  const r = reason.trim() && reason.trim() !== "-" ? `${stat}: ${reason.trim()}` : stat;
  if (!s) return { state: "unknown", reason: `unknown LSF state ${stat}` };
  return { state: s, reason: s === "unknown" ? `${r} (mbatchd lost contact with the execution host)` : r };
}

/** LSF's -W takes [hours:]minutes. */
function lsfMinutes(m: number): string {
  const total = Math.max(1, Math.ceil(m));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** `bjobs -o … -json`: every value is a string, empty when unset. */
const ZBjobsJson = z.object({
  COMMAND: z.literal("bjobs"),
  RECORDS: z.array(
    z.object({
      JOBID: z.string().optional(),
      STAT: z.string().optional(),
      EXIT_CODE: z.string().optional(),
      EXIT_REASON: z.string().optional(),
    }),
  ),
});

/**
 * Rows of `bjobs` output, in any of the forms EManager meets: the delimited custom format it
 * asks for (`id|stat|exit_code|exit_reason`), `-json`, or the default wide table
 * (JOBID USER STAT QUEUE …).
 */
export function parseBjobs(text: string): { id: string; stat: string; reason: string }[] {
  const t = text.trim();
  if (t.startsWith("{")) {
    let raw: unknown;
    try {
      raw = JSON.parse(t);
    } catch {
      return [];
    }
    const doc = ZBjobsJson.safeParse(raw);
    if (!doc.success) return [];
    // records without JOBID (when -o did not ask for it) cannot be matched to a job: left out
    return doc.data.RECORDS.flatMap((r) =>
      r.JOBID && r.STAT
        ? [
            {
              id: r.JOBID,
              stat: r.STAT,
              reason: [r.EXIT_CODE && `exit code ${r.EXIT_CODE}`, r.EXIT_REASON].filter(Boolean).join("; "),
            },
          ]
        : [],
    );
  }
  const rows: { id: string; stat: string; reason: string }[] = [];
  for (const line of t.split(/\r?\n/)) {
    const pipe = line.split("|");
    if (pipe.length >= 2 && /^\d+(\[\d+\])?$/.test(pipe[0]!.trim())) {
      // EManager asks for `jobid stat exit_code exit_reason`; other tools order the columns
      // differently, so the two after the state are told apart by their look.
      const [id, stat, ...rest] = pipe.map((x) => x.trim());
      const extra = rest.slice(0, 2);
      const code = extra.find((f) => /^\d+$/.test(f));
      const why = extra.find((f) => /TERM_|\s/.test(f));
      rows.push({
        id: id!,
        stat: stat!,
        reason: [code ? `exit code ${code}` : "", why ?? ""].filter(Boolean).join("; "),
      });
      continue;
    }
    const cols = /^(\d+(?:\[\d+\])?)\s+\S+\s+([A-Z]{3,5})\s/.exec(line);
    if (cols) rows.push({ id: cols[1]!, stat: cols[2]!, reason: "" });
  }
  return rows;
}

export const lsf: BatchAdapter = {
  kind: "lsf",
  renderJobScript(s: PilotJobSpec): string {
    const sb = ZRemotePath.parse(s.sandbox);
    const { nodes, ppn } = perNode(s);
    return [
      "#!/bin/bash",
      `#BSUB -J ${ZBatchWord.parse(s.jobName)}`,
      `#BSUB -n ${Math.max(1, Math.trunc(s.cores))}`,
      ...(nodes > 1 ? [`#BSUB -R "span[ptile=${ppn}]"`] : [`#BSUB -R "span[hosts=1]"`]),
      `#BSUB -W ${lsfMinutes(s.walltimeMinutes)}`,
      `#BSUB -o ${sb}/bootstrap.out`,
      `#BSUB -e ${sb}/bootstrap.err`,
      ...(s.queue ? [`#BSUB -q ${ZBatchWord.parse(s.queue)}`] : []),
      ...(s.project ? [`#BSUB -P ${ZBatchWord.parse(s.project)}`] : []),
      ...scriptBody(s),
    ].join("\n");
  },
  submitCommand: (script) => `bsub < ${sh(ZRemotePath.parse(script))}`,
  parseSubmit(stdout: string, stderr: string, code: number | null): SubmitResult {
    const id = /Job <(\d+)> is submitted to (?:default )?queue/.exec(stdout)?.[1];
    if (code === 0 && id) return { ok: true, jobId: id };
    if (code === 0)
      return {
        ok: false,
        code: "PARSE",
        message: `bsub said ${JSON.stringify(stdout.trim().slice(0, 300))}, which has no job id`,
      };
    // Some sites print their own usage text on stdout when they refuse a job; stderr has the why.
    return {
      ok: false,
      code: "REJECTED",
      message: submitComplaint(stderr.trim() ? "" : stdout, stderr, code),
    };
  },
  statusCommand: (ids) =>
    `bjobs -noheader -o 'jobid stat exit_code exit_reason delimiter="|"' ${ids.map((i) => sh(ZJobId.parse(i))).join(" ")} 2>&1`,
  parseStatus(stdout: string, _stderr: string, ids: string[], code?: number | null): Map<string, JobStatus> {
    const m = new Map<string, JobStatus>();
    for (const r of parseBjobs(stdout)) if (ids.includes(r.id)) m.set(r.id, lsfState(r.stat, r.reason));
    for (const [, id] of stdout.matchAll(/Job <(\d+)> is not found/g))
      if (id && ids.includes(id) && !m.has(id))
        m.set(id, { state: "ended", reason: "mbatchd no longer knows the job (it has finished)" });
    // only mbatchd's "is not found" means a job has gone; "LSF is down" or silence: unknown
    for (const i of ids) if (!m.has(i)) m.set(i, unplaced("bjobs", stdout, code));
    return m;
  },
  cancelCommand: (id) => `bkill ${sh(ZJobId.parse(id))}`,
};
