import type { JobStatus, PilotJobSpec } from "../engine/ports";
import { sh } from "../shell/quote";
import { ZJobId, ZRemotePath } from "../shell/patterns";
import { scriptBody } from "./script";
import type { BatchAdapter, SubmitResult } from "./types";

/**
 * No batch system: the pilot runs directly on the login host, in its own session (setsid) so
 * that cancelling kills the agent and every task it started. The job id is the session
 * leader's PID; status checks that the PID still runs our script (or the agent it execs into),
 * so a reused PID reads as ended. Walltime is kept by the agent itself (it drains before its deadline).
 */
const MARK = "emanager-pilot";

export const fork: BatchAdapter = {
  kind: "fork",
  renderJobScript(s: PilotJobSpec): string {
    ZRemotePath.parse(s.sandbox);
    return ["#!/bin/bash", `# ${MARK}: ${s.jobName}, ${s.cores} core(s), ${Math.ceil(s.walltimeMinutes)} min (the agent keeps the walltime)`, ...scriptBody(s)].join("\n");
  },
  submitCommand(script: string): string {
    const p = ZRemotePath.parse(script);
    const dir = p.replace(/\/[^/]+$/, "");
    // Braces, so that `cd … && {…}` backgrounds only the pilot: a backgrounded `a && b` would be
    // a subshell holding the SSH channel open for the pilot's lifetime. setsid gives the pilot
    // its own session and process group; with no job control it execs in place, so $! is its PID.
    return `{ setsid bash ${sh(p)} ${sh(MARK)} > ${sh(`${dir}/bootstrap.out`)} 2> ${sh(`${dir}/bootstrap.err`)} < /dev/null & echo $!; }`;
  },
  parseSubmit(stdout: string, stderr: string, code: number | null): SubmitResult {
    const pid = stdout.trim().split(/\s+/).pop() ?? "";
    if (code === 0 && /^\d+$/.test(pid)) return { ok: true, jobId: pid };
    return { ok: false, code: "REJECTED", message: stderr.trim() || stdout.trim() || `the login host refused to start the pilot (exit code ${code})` };
  },
  statusCommand: (ids) => `for p in ${ids.map((i) => sh(ZJobId.parse(i))).join(" ")}; do if ps -o args= -p "$p" 2>/dev/null | grep -qE 'emanager-(pilot|agent)'; then echo "$p running"; else echo "$p ended"; fi; done`,
  parseStatus(stdout: string, _stderr: string, ids: string[]): Map<string, JobStatus> {
    const m = new Map<string, JobStatus>();
    for (const line of stdout.split(/\r?\n/)) {
      const r = /^(\d+) (running|ended)$/.exec(line.trim());
      if (r && ids.includes(r[1]!)) m.set(r[1]!, r[2] === "running" ? { state: "running", reason: "process running" } : { state: "ended", reason: "the pilot process has exited" });
    }
    for (const i of ids) if (!m.has(i)) m.set(i, { state: "unknown", reason: "the status check printed nothing for this process" });
    return m;
  },
  // the negative PID signals the whole process group: the agent and every task it started
  cancelCommand: (id) => `kill -TERM -- -${ZJobId.parse(id)} 2>/dev/null || kill -TERM ${ZJobId.parse(id)} 2>/dev/null; true`,
};
