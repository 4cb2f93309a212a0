import { sh } from "../shell/quote";
import { ZJobId, ZRemotePath } from "../shell/patterns";
import { checkSpec, scriptBody } from "./script";
import type { BatchAdapter, JobStatus, PilotJobSpec, SubmitResult } from "./types";

/**
 * No batch system: the pilot runs directly on the login host, in its own session (setsid) so
 * that cancelling kills the agent and every task it started. The job id is the session
 * leader's PID; status checks that the PID still runs our wrapper (or the agent), so a reused
 * PID reads as ended. Walltime is kept by the agent itself (it drains before its deadline).
 *
 * A batch system remembers how a job ended; a bare process does not, so the wrapper writes
 * the script's exit code (and the signal that stopped it, if any) to ~/.emanager-fork/PID.exit,
 * where the status command finds it by the job id alone.
 */
const MARK = "emanager-pilot";
const EXIT_DIR = "$HOME/.emanager-fork";

/**
 * The session leader: clears a stale exit file of an earlier process with the same PID, runs
 * the job script in the foreground and records how it ended. Its traps only note the signal
 * (trapped signals reset to the default in the child, so the script is still killed by them);
 * the record is written once the script has gone.
 */
const WRAPPER = [
  // records older than a month belong to pilots no run still asks about
  `d="${EXIT_DIR}"; mkdir -p "$d"; rm -f "$d/$$.exit"; find "$d" -name "*.exit" -mtime +30 -delete 2>/dev/null`,
  `s=""; trap "s=TERM" TERM; trap "s=INT" INT; trap "s=HUP" HUP`,
  `bash "$1"; c=$?`,
  `echo "$c $s" > "$d/$$.exit"`,
].join("; ");

export const fork: BatchAdapter = {
  kind: "fork",
  renderJobScript(s: PilotJobSpec): string {
    // queue and project are unused here, yet refused like anywhere else; the name goes into a
    // comment line, which a newline would end
    checkSpec(s);
    return [
      "#!/bin/bash",
      `# ${MARK}: ${s.jobName.trim()}, ${Math.trunc(s.cores)} core(s), ${Math.ceil(s.walltimeMinutes)} min (the agent keeps the walltime)`,
      ...scriptBody(s),
    ].join("\n");
  },
  submitCommand(script: string): string {
    const p = ZRemotePath.parse(script);
    const dir = p.replace(/\/[^/]+$/, "");
    // Braces, so that `cd … && {…}` backgrounds only the pilot: a backgrounded `a && b` would be
    // a subshell holding the SSH channel open for the pilot's lifetime. setsid gives the pilot
    // its own session and process group (no SIGHUP when the SSH session closes; nohup is kept
    // for sites whose setsid forks); with no job control it execs in place, so $! is its PID.
    return `{ setsid nohup bash -c ${sh(WRAPPER)} ${MARK} ${sh(p)} > ${sh(`${dir}/bootstrap.out`)} 2> ${sh(`${dir}/bootstrap.err`)} < /dev/null & echo $!; }`;
  },
  parseSubmit(stdout: string, stderr: string, code: number | null): SubmitResult {
    const pid = stdout.trim().split(/\s+/).pop() ?? "";
    if (code === 0 && /^\d+$/.test(pid)) return { ok: true, jobId: pid };
    return {
      ok: false,
      code: "REJECTED",
      message:
        stderr.trim() || stdout.trim() || `the login host refused to start the pilot (exit code ${code})`,
    };
  },
  statusCommand: (ids) =>
    `for p in ${ids.map((i) => sh(ZJobId.parse(i))).join(" ")}; do ` +
    `if ps -o args= -p "$p" 2>/dev/null | grep -qE 'emanager-(pilot|agent)'; then echo "$p running"; ` +
    `else echo "$p ended $(cat "${EXIT_DIR}/$p.exit" 2>/dev/null)"; fi; done`,
  parseStatus(stdout: string, _stderr: string, ids: string[]): Map<string, JobStatus> {
    const m = new Map<string, JobStatus>();
    for (const line of stdout.split(/\r?\n/)) {
      const r = /^(\d+) (running|ended)(?: (\d+))?(?: ([A-Z]+))?\s*$/.exec(line.trim());
      if (!r || !ids.includes(r[1]!)) continue;
      m.set(
        r[1]!,
        r[2] === "running"
          ? { state: "running", reason: "process running" }
          : { state: "ended", reason: endReason(r[3], r[4]) },
      );
    }
    for (const i of ids)
      if (!m.has(i))
        m.set(i, { state: "unknown", reason: "the status check printed nothing for this process" });
    return m;
  },
  // the negative PID signals the whole process group: the wrapper, the agent and every task it started
  cancelCommand: (id) =>
    `kill -TERM -- -${ZJobId.parse(id)} 2>/dev/null || kill -TERM ${ZJobId.parse(id)} 2>/dev/null; true`,
};

function endReason(code: string | undefined, signal: string | undefined): string {
  if (signal) return `the pilot was stopped by SIG${signal} (exit code ${code ?? "?"})`;
  if (code === undefined)
    return "the pilot process has exited (no exit status recorded: it was killed outright)";
  const n = Number(code);
  // bash reports death by signal N as 128+N
  if (n > 128 && n < 160) return `the pilot process was killed by signal ${n - 128} (exit code ${n})`;
  return n === 0
    ? "the pilot process exited normally (exit code 0)"
    : `the pilot process failed with exit code ${n}`;
}
