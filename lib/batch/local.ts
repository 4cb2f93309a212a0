import { ZJobId } from "../shell/patterns";
import { fork } from "./fork";
import type { BatchAdapter, JobStatus } from "./types";

/**
 * The `local` resource's batch system: the fork adapter, run on this machine through the local
 * transport by the one pilot site (lib/engine/sites/remote.ts). Two differences, both kept from
 * the local pilots before it: job ids read `local:<pid>` (so a pilot launched by an older server
 * is still adopted), and a cancel also continues the pilot's process group, because an agent that
 * was stopped (SIGSTOP: the stale-heartbeat case) keeps SIGTERM pending until it runs again.
 */
const PREFIX = "local:";

function pidOf(jobId: string): string {
  if (!jobId.startsWith(PREFIX)) throw new Error(`not a local job id: ${jobId}`);
  return ZJobId.parse(jobId.slice(PREFIX.length));
}

export const local: BatchAdapter = {
  kind: "local",
  renderJobScript: (spec) => fork.renderJobScript(spec),
  // fork's submission prints the pilot's pid before the pilot has called setsid; wait (at most
  // ~2 s) until its session exists, so the job id names a process group as soon as the submission
  // returns, as the local agents spawned by the server always did (a cancel or a check right
  // after the launch reaches the whole group)
  submitCommand: (script) =>
    `${fork.submitCommand(script)} | { read -r p; i=0; while [ $i -lt 200 ] && kill -0 "$p" 2>/dev/null && [ "$(ps -o sid= -p "$p" 2>/dev/null | tr -d ' ')" != "$p" ]; do sleep 0.01; i=$((i+1)); done; echo "$p"; }`,
  parseSubmit(stdout, stderr, code) {
    const r = fork.parseSubmit(stdout, stderr, code);
    return r.ok ? { ok: true, jobId: `${PREFIX}${r.jobId}` } : r;
  },
  statusCommand: (ids) => fork.statusCommand(ids.map(pidOf)),
  parseStatus(stdout, stderr, ids, code) {
    const byPid = fork.parseStatus(stdout, stderr, ids.map(pidOf), code);
    const unknown: JobStatus = {
      state: "unknown",
      reason: "the status check printed nothing for this process",
    };
    return new Map(ids.map((id) => [id, byPid.get(pidOf(id)) ?? unknown]));
  },
  cancelCommand: (id) => `${fork.cancelCommand(pidOf(id))}; kill -CONT -- -${pidOf(id)} 2>/dev/null; true`,
};
