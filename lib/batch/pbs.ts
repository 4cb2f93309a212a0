import { sh } from "../shell/quote";
import { ZBatchWord, ZJobId, ZRemotePath } from "../shell/patterns";
import { looksJson, parsePbsBlocks, parsePbsJson, parseQstatTable, type PbsBlock } from "./pbs-attrs";
import { submitComplaint, hhmmss, perNode, scriptBody } from "./script";
import { unplaced } from "./trouble";
import type { BatchAdapter, JobStatus, PilotJobSpec, SubmitResult } from "./types";

/**
 * PBS Pro / OpenPBS and Torque. The job asks for `nodes=N:ppn=M`, which Torque reads natively
 * and PBS Pro translates into a `select` statement, so one script serves both. Status comes
 * from `qstat -f`: Torque keeps finished jobs for a while (state C with exit_status); PBS Pro
 * forgets them, and "Unknown Job Id" then means the job has left the system.
 */

/** job_state letters → pilot job states; H (held), W (waiting for its start time), T (in transit) still wait. */
const STATE: Record<string, { state: JobStatus["state"]; word: string }> = {
  Q: { state: "queued", word: "queued" },
  H: { state: "queued", word: "held" },
  W: { state: "queued", word: "waiting for its start time" },
  T: { state: "queued", word: "being moved" },
  M: { state: "queued", word: "moved to another server" },
  S: { state: "queued", word: "suspended" },
  U: { state: "queued", word: "suspended (workstation busy)" },
  R: { state: "running", word: "running" },
  B: { state: "running", word: "array begun" },
  E: { state: "running", word: "exiting" },
  C: { state: "ended", word: "completed" },
  F: { state: "ended", word: "finished" },
  X: { state: "ended", word: "finished (subjob)" },
};

export function pbsState(letter: string, detail: { exitStatus?: string; comment?: string } = {}): JobStatus {
  const s = STATE[letter.trim().toUpperCase()];
  if (!s) return { state: "unknown", reason: `unknown PBS job state ${letter}` };
  const extra = [
    detail.exitStatus !== undefined ? `exit_status ${detail.exitStatus}` : "",
    detail.comment ?? "",
  ]
    .filter(Boolean)
    .join("; ");
  return { state: s.state, reason: extra ? `${letter} (${s.word}): ${extra}` : `${letter} (${s.word})` };
}

/** The numeric part by which a short id from qsub matches a long one in qstat (1237 ↔ 1237.server.domain). */
const seq = (id: string) => /^(\d+)/.exec(id)?.[1] ?? id;

/** Job blocks from `qstat -f` in the text or `-F json` form; unreadable JSON reads as no blocks. */
function jobBlocks(text: string): PbsBlock[] {
  if (!looksJson(text)) return parsePbsBlocks(text);
  try {
    return parsePbsJson(text);
  } catch {
    return [];
  }
}

/** Older PBS and Torque accept only names that start with a letter, of at most 15 characters. */
const pbsName = (name: string) => (/^[A-Za-z]/.test(name) ? name : `p${name}`).slice(0, 15);

export const pbs: BatchAdapter = {
  kind: "pbs",
  renderJobScript(s: PilotJobSpec): string {
    const sb = ZRemotePath.parse(s.sandbox);
    const { nodes, ppn } = perNode(s);
    return [
      "#!/bin/bash",
      `#PBS -N ${pbsName(ZBatchWord.parse(s.jobName))}`,
      `#PBS -l nodes=${nodes}:ppn=${ppn}`,
      `#PBS -l walltime=${hhmmss(s.walltimeMinutes)}`,
      `#PBS -o ${sb}/bootstrap.out`,
      `#PBS -e ${sb}/bootstrap.err`,
      ...(s.queue ? [`#PBS -q ${ZBatchWord.parse(s.queue)}`] : []),
      ...(s.project ? [`#PBS -A ${ZBatchWord.parse(s.project)}`] : []),
      ...scriptBody(s),
    ].join("\n");
  },
  submitCommand: (script) => `qsub ${sh(ZRemotePath.parse(script))}`,
  parseSubmit(stdout: string, stderr: string, code: number | null): SubmitResult {
    const id = stdout.trim().split(/\r?\n/).pop()?.trim() ?? "";
    if (code === 0 && ZJobId.safeParse(id).success) return { ok: true, jobId: id };
    if (code === 0 && /^\d+\[\d*\]/.test(id))
      return { ok: false, code: "PARSE", message: `qsub made an array job (${id}); a pilot is one job` };
    if (code === 0)
      return {
        ok: false,
        code: "PARSE",
        message: `qsub said ${JSON.stringify(stdout.trim())}, which has no job id`,
      };
    return { ok: false, code: "REJECTED", message: submitComplaint(stdout, stderr, code) };
  },
  statusCommand: (ids) => `qstat -f ${ids.map((i) => sh(ZJobId.parse(i))).join(" ")} 2>&1`,
  parseStatus(stdout: string, _stderr: string, ids: string[], code?: number | null): Map<string, JobStatus> {
    const m = new Map<string, JobStatus>();
    const bySeq = new Map(ids.map((i) => [seq(i), i]));
    for (const j of jobBlocks(stdout)) {
      const id = bySeq.get(seq(j.name));
      const st = j.attrs.get("job_state");
      if (id && st)
        m.set(
          id,
          pbsState(st, {
            exitStatus: j.attrs.get("exit_status") ?? j.attrs.get("Exit_status"),
            comment: j.attrs.get("comment"),
          }),
        );
    }
    // the one-line tables (plain `qstat`), should a site wrapper print those instead
    for (const r of parseQstatTable(stdout)) {
      const id = bySeq.get(seq(r.id));
      if (id && !m.has(id)) m.set(id, pbsState(r.state));
    }
    for (const line of stdout.split(/\r?\n/)) {
      // Torque/PBS: "qstat: Unknown Job Id 123.srv"; PBS Pro ≥ 13: "qstat: 123.srv Job has finished, use -x or -H …"
      const gone = /Unknown Job Id (?:Error )?(\S+)/i.exec(line) ?? /(\S+) Job has finished/.exec(line);
      const id = gone ? bySeq.get(seq(gone[1]!)) : undefined;
      if (id && !m.has(id))
        m.set(id, { state: "ended", reason: "the server no longer knows the job (it has finished)" });
    }
    // Only the server's word ("Unknown Job Id", "Job has finished") means a job has gone; a
    // failing client (pbs_iff, no server, bad credentials) or silence leaves it unknown.
    for (const i of ids) if (!m.has(i)) m.set(i, unplaced("qstat", stdout, code));
    return m;
  },
  cancelCommand: (id) => `qdel ${sh(ZJobId.parse(id))}`,
};
