import { sh } from "../shell/quote";
import { ZBatchWord, ZEnvLine, ZJobId, ZRemotePath } from "../shell/patterns";
import { submitComplaint } from "./script";
import { unplaced } from "./trouble";
import type { BatchAdapter, JobStatus, PilotJobSpec, SubmitResult } from "./types";

/**
 * SLURM. Status comes from one command that works without accounting: `squeue` for jobs still
 * known to the controller, then `scontrol show job -o` for the final state of those that left it.
 */
const QUEUED = [
  "PENDING",
  "CONFIGURING",
  "REQUEUED",
  "REQUEUE_HOLD",
  "REQUEUE_FED",
  "RESV_DEL_HOLD",
  "SUSPENDED",
  "STOPPED",
  "SIGNALING",
  "RESIZING",
];
const RUNNING = ["RUNNING", "COMPLETING", "STAGE_OUT"];

export function slurmState(native: string, reason?: string): JobStatus {
  const s = native.toUpperCase().replace(/\+$/, "").split(" ")[0] ?? "";
  if (QUEUED.includes(s))
    return { state: "queued", reason: reason && reason !== "None" ? `${s}: ${reason}` : s };
  if (RUNNING.includes(s)) return { state: "running", reason: s };
  if (
    [
      "COMPLETED",
      "CANCELLED",
      "FAILED",
      "TIMEOUT",
      "NODE_FAIL",
      "PREEMPTED",
      "OUT_OF_MEMORY",
      "BOOT_FAIL",
      "DEADLINE",
      "REVOKED",
      "SPECIAL_EXIT",
    ].includes(s)
  ) {
    return { state: "ended", reason: reason && reason !== "None" ? `${s} (${reason})` : s };
  }
  return { state: "unknown", reason: `unknown SLURM state ${native}` };
}

/** The line the status command prints before each id's scontrol answer. */
const MARK = "emanager-job";

/**
 * Each id's scontrol answer: the text after its mark line. Without marks (an output recorded
 * elsewhere), the whole text answers the one id asked about; with several ids it answers none.
 */
function answersById(stdout: string, ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const parts = stdout.split(new RegExp(`^${MARK} (\\S+)[ \\t]*$`, "m"));
  if (parts.length === 1) {
    if (ids.length === 1) out.set(ids[0]!, stdout);
    return out;
  }
  for (let k = 1; k + 1 < parts.length; k += 2) out.set(parts[k]!, parts[k + 1]!);
  return out;
}

function minutes(m: number): string {
  const total = Math.max(1, Math.ceil(m));
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const mm = total % 60;
  return d > 0
    ? `${d}-${String(h).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00`
    : `${String(h).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00`;
}

export const slurm: BatchAdapter = {
  kind: "slurm",
  renderJobScript(s: PilotJobSpec): string {
    const sb = ZRemotePath.parse(s.sandbox);
    const lines = [
      "#!/bin/bash",
      `#SBATCH --job-name=${ZBatchWord.parse(s.jobName)}`,
      `#SBATCH --nodes=${Math.max(1, Math.trunc(s.nodes))}`,
      `#SBATCH --ntasks=${Math.max(1, Math.trunc(s.cores))}`,
      `#SBATCH --time=${minutes(s.walltimeMinutes)}`,
      `#SBATCH --output=${sb}/bootstrap.out`,
      `#SBATCH --error=${sb}/bootstrap.err`,
      ...(s.queue ? [`#SBATCH --partition=${ZBatchWord.parse(s.queue)}`] : []),
      ...(s.project ? [`#SBATCH --account=${ZBatchWord.parse(s.project)}`] : []),
      "# environment set-up of the resource",
      ...s.envSetup.map((l) => ZEnvLine.parse(l)),
      `exec bash ${sh(`${sb}/emanager-agent.sh`)} ${sh(sb)}`,
      "",
    ];
    return lines.join("\n");
  },
  submitCommand: (script) => `sbatch --parsable ${sh(ZRemotePath.parse(script))}`,
  parseSubmit(stdout: string, stderr: string, code: number | null): SubmitResult {
    const id = stdout.trim().split("\n").pop()?.split(";")[0]?.trim() ?? "";
    if (code === 0 && /^\d+$/.test(id)) return { ok: true, jobId: id };
    if (code === 0)
      return {
        ok: false,
        code: "PARSE",
        message: `sbatch said ${JSON.stringify(stdout.trim())}, which has no job id`,
      };
    return { ok: false, code: "REJECTED", message: submitComplaint(stdout, stderr, code) };
  },
  statusCommand(ids: string[]): string {
    const list = ids.map((i) => ZJobId.parse(i)).join(",");
    // squeue for live jobs; scontrol for each id squeue no longer lists, after a line naming the
    // id, so that scontrol's "Invalid job id specified" (which names none) is that job's answer
    return `squeue -h -j ${list} -o '%i|%T|%r' 2>/dev/null; for j in ${ids.map((i) => sh(i)).join(" ")}; do echo "${MARK} $j"; scontrol show job -o "$j" 2>&1 | head -n 1; done`;
  },
  parseStatus(stdout: string, _stderr: string, ids: string[], code?: number | null): Map<string, JobStatus> {
    const m = new Map<string, JobStatus>();
    for (const line of stdout.split("\n")) {
      const sq = /^(\d+)\|([A-Z_]+)\|(.*)$/.exec(line.trim());
      if (sq && ids.includes(sq[1]!)) m.set(sq[1]!, slurmState(sq[2]!, sq[3]));
    }
    // scontrol records: one line each with -o, several lines in the plain form; split on JobId=
    for (const rec of stdout.split(/(?=\bJobId=\d)/)) {
      const id = /^JobId=(\d+)/.exec(rec)?.[1];
      if (id && ids.includes(id) && !m.has(id))
        m.set(id, slurmState(/JobState=(\S+)/.exec(rec)?.[1] ?? "UNKNOWN", /Reason=(\S+)/.exec(rec)?.[1]));
    }
    // Only the controller's own "Invalid job id specified" for this id means the job has gone;
    // anything else (an unreachable or mute controller, a lost connection) leaves it unknown.
    const answers = answersById(stdout, ids);
    for (const i of ids) {
      if (m.has(i)) continue;
      const said = answers.get(i) ?? "";
      m.set(
        i,
        /Invalid job id specified/i.test(said)
          ? { state: "ended", reason: "the controller no longer knows the job" }
          : unplaced("scontrol", said, code),
      );
    }
    return m;
  },
  cancelCommand: (id) => `scancel ${sh(ZJobId.parse(id))}`,
};
