import { sh } from "../shell/quote";
import { ZBatchWord, ZJobId, ZRemotePath } from "../shell/patterns";
import { hhmmss, scriptBody, submitComplaint } from "./script";
import { unplaced } from "./trouble";
import type { BatchAdapter, JobStatus, PilotJobSpec, SubmitResult } from "./types";

/**
 * (Son of / Open / Univa) Grid Engine. Submission is `qsub -terse -w e`: the id alone on stdout,
 * and a job that no queue could ever run (unknown queue, more slots or a longer h_rt than any
 * queue allows) is refused at once instead of waiting for ever. A job for a queue that is only
 * disabled (`qmod -d`) is still accepted and waits, as on SLURM's DOWN partitions: `-w e` checks
 * the configuration, not the queues' current state, and `-w p`, which does, only verifies and
 * never submits. Status is `qstat -xml` for the jobs qmaster lists, then `qstat -j` for each one
 * it does not: "Following jobs do not exist" is qmaster's own word that the job has gone, and
 * `qacct -j` then adds its exit status when the accounting file has it.
 */

/** The line the status command prints before each unlisted id's answer. */
const MARK = "emanager-job";

/**
 * A qstat state string (letters, e.g. `qw`, `hqw`, `r`, `t`, `dr`, `Eqw`, `Rr`, `s`) read as the
 * engine's state. Letters combine, so the order of the checks matters: error, then a job that holds
 * its slots (running, transferring, being deleted), suspended, then waiting.
 */
export function sgeState(letters: string): JobStatus {
  const s = letters.trim();
  if (!/^[A-Za-z]+$/.test(s))
    return { state: "unknown", reason: `unknown Grid Engine job state ${JSON.stringify(letters)}` };
  // zombie: listed only with `qstat -s z`, after the job has finished
  if (s.includes("z")) return { state: "ended", reason: `${s} (finished)` };
  // E: qmaster put the job in error; it never starts until an administrator clears it (qmod -cj)
  if (s.includes("E"))
    return {
      state: "queued",
      reason: `${s} (error state: qstat -j shows why; it waits until qmod -cj clears it)`,
    };
  const holds = /[rt]/.test(s);
  if (holds && /[sST]/.test(s)) return { state: "queued", reason: `${s} (suspended)` };
  if (holds)
    return {
      state: "running",
      reason: s.includes("d")
        ? `${s} (being deleted)`
        : s.includes("t")
          ? `${s} (starting)`
          : s.includes("R")
            ? `${s} (restarted)`
            : s,
    };
  if (/[qwh]/.test(s)) return { state: "queued", reason: s.includes("h") ? `${s} (held)` : `${s} (waiting)` };
  if (s.includes("d")) return { state: "running", reason: `${s} (being deleted)` };
  return { state: "unknown", reason: `unknown Grid Engine job state ${s}` };
}

/** `<job_list>` records of `qstat -xml`: job number → state letters. */
export function parseQstatXml(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<job_list\b[^>]*>([\s\S]*?)<\/job_list>/g)) {
    const body = m[1]!;
    const id = /<JB_job_number>\s*(\d+)\s*<\/JB_job_number>/.exec(body)?.[1];
    const st = /<state>\s*([^<]*?)\s*<\/state>/.exec(body)?.[1];
    if (id && st !== undefined) out.set(id, st);
  }
  return out;
}

/** The lines of a `qacct -j` record worth keeping as the reason: failed and exit_status. */
function accounting(text: string): string {
  const failed = /^failed\s+(.+?)\s*$/m.exec(text)?.[1];
  const exit = /^exit_status\s+(.+?)\s*$/m.exec(text)?.[1];
  return [
    exit !== undefined ? `exit_status ${exit}` : "",
    failed !== undefined && failed !== "0" ? `failed ${failed}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** Each unlisted id's answer: the text after its mark. Without marks, the whole text answers a lone id. */
function answersById(text: string, ids: string[]): { head: string; answers: Map<string, string> } {
  const parts = text.split(new RegExp(`^${MARK} (\\S+)[ \\t]*$`, "m"));
  const answers = new Map<string, string>();
  if (parts.length === 1) {
    if (ids.length === 1) answers.set(ids[0]!, text);
    return { head: text, answers };
  }
  for (let k = 1; k + 1 < parts.length; k += 2) answers.set(parts[k]!, parts[k + 1]!);
  return { head: parts[0]!, answers };
}

/** Grid Engine refuses job names that start with a digit. */
const sgeName = (name: string) => (/^[A-Za-z_]/.test(name) ? name : `p${name}`);

export const sge: BatchAdapter = {
  kind: "sge",
  renderJobScript(s: PilotJobSpec): string {
    const sb = ZRemotePath.parse(s.sandbox);
    // One host: the smp environment (allocation_rule $pe_slots) gives all slots on one node; Grid
    // Engine has no site-independent way to ask for several nodes, so a pilot is one host wide.
    const slots = Math.max(1, Math.trunc(s.cores));
    return [
      "#!/bin/bash",
      `#$ -N ${sgeName(ZBatchWord.parse(s.jobName))}`,
      "#$ -S /bin/bash",
      `#$ -wd ${sb}`,
      ...(slots > 1 ? [`#$ -pe smp ${slots}`] : []),
      `#$ -l h_rt=${hhmmss(s.walltimeMinutes)}`,
      `#$ -o ${sb}/bootstrap.out`,
      `#$ -e ${sb}/bootstrap.err`,
      ...(s.queue ? [`#$ -q ${ZBatchWord.parse(s.queue)}`] : []),
      ...(s.project ? [`#$ -P ${ZBatchWord.parse(s.project)}`] : []),
      ...scriptBody(s),
    ].join("\n");
  },
  submitCommand: (script) => `qsub -terse -w e ${sh(ZRemotePath.parse(script))}`,
  parseSubmit(stdout: string, stderr: string, code: number | null): SubmitResult {
    const id = stdout.trim().split(/\r?\n/).pop()?.trim() ?? "";
    if (code === 0 && /^\d+$/.test(id)) return { ok: true, jobId: id };
    if (code === 0)
      return {
        ok: false,
        code: "PARSE",
        message: `qsub said ${JSON.stringify(stdout.trim())}, which has no job id`,
      };
    // "Unable to run job: <why>" / "Exiting.": the why is the message
    const text = (stderr.trim() || stdout.trim())
      .split(/\r?\n/)
      .map((l) =>
        l
          .replace(/^Unable to run job:\s*/, "")
          .replace(/^error:\s*/, "")
          .trim(),
      )
      .filter((l) => l && l !== "Exiting.")
      .join("\n");
    return { ok: false, code: "REJECTED", message: submitComplaint("", text, code) };
  },
  statusCommand(ids: string[]): string {
    const list = ids.map((i) => sh(ZJobId.parse(i))).join(" ");
    return [
      `x=$(qstat -xml 2>&1); printf '%s\\n' "$x"`,
      `for j in ${list}; do case "$x" in *"<JB_job_number>$j</JB_job_number>"*) continue ;; esac`,
      `echo "${MARK} $j"; o=$(qstat -j "$j" 2>&1 | head -n 3); printf '%s\\n' "$o"`,
      `case "$o" in *"do not exist"*) qacct -j "$j" 2>&1 | grep -E '^(failed|exit_status|error)' ;; esac; done`,
    ].join("; ");
  },
  parseStatus(stdout: string, _stderr: string, ids: string[], code?: number | null): Map<string, JobStatus> {
    const m = new Map<string, JobStatus>();
    const { head, answers } = answersById(stdout, ids);
    const listed = parseQstatXml(head);
    for (const i of ids) {
      const letters = listed.get(i);
      if (letters !== undefined) {
        m.set(i, sgeState(letters));
        continue;
      }
      const said = answers.get(i) ?? "";
      // qmaster's "Following jobs do not exist:" is followed by the ids it does not know
      const gone = /Following jobs do not exist:?\s*([\d,\s]*)/.exec(said);
      if (gone && (ids.length === 1 || gone[1]!.split(/[\s,]+/).includes(i))) {
        const acct = accounting(said);
        m.set(i, {
          state: "ended",
          reason: acct
            ? `qmaster no longer knows the job; qacct: ${acct}`
            : "qmaster no longer knows the job",
        });
      } else {
        m.set(i, unplaced("qstat", said || head, code));
      }
    }
    return m;
  },
  cancelCommand: (id) => `qdel ${sh(ZJobId.parse(id))}`,
};
