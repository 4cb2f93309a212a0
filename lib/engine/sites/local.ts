import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { copyFile, link, mkdir, open, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderAgentConf, renderInboxBatch } from "../../protocol/agent";
import { parseAgentFacts } from "../facts";
import { taskFiles } from "../../protocol/sandbox";
import type { JobStatus, PilotJobSpec } from "../../batch/types";
import type { AgentTask } from "../../protocol/agent";
import type { PilotSite } from "../ports";

/**
 * The `local` resource: the very same agent, started as a detached child process of the
 * server (its own process group, so it outlives a server restart and can be re-adopted).
 * The "job id" is `local:<pid>`; polling asks whether the process still exists.
 */
const AGENT = path.join(process.cwd(), "agent", "emanager-agent.sh");
const LOG_LIMIT = 1 << 20;

function pidOf(jobId: string): number {
  const m = /^local:(\d+)$/.exec(jobId);
  if (!m) throw new Error(`not a local job id: ${jobId}`);
  return Number(m[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Hard link when on the same filesystem (instant, no copy), copy otherwise. */
async function place(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  const tmp = `${to}.part-${process.pid}`;
  try {
    await link(from, tmp);
  } catch {
    await copyFile(from, tmp);
  }
  await rename(tmp, to);
}

export function localSite(root: string, opts: { heartbeatSeconds?: number; drainMarginSeconds?: number } = {}): PilotSite {
  return {
    sandboxRoot: async () => root,
    async launch(spec: PilotJobSpec) {
      const sb = spec.sandbox;
      for (const d of ["inbox", "control", "tasks", "data"]) await mkdir(path.join(sb, d), { recursive: true });
      await copyFile(AGENT, path.join(sb, "emanager-agent.sh"));
      await writeFile(
        path.join(sb, "agent.conf"),
        renderAgentConf({ pilotId: spec.pilotId, cores: spec.cores, walltimeSeconds: Math.max(1, Math.floor(spec.walltimeMinutes * 60)), drainMarginSeconds: opts.drainMarginSeconds ?? 10, heartbeatSeconds: opts.heartbeatSeconds ?? 2, launch: "fork" }),
      );
      const out = openSync(path.join(sb, "bootstrap.log"), "a");
      try {
        const child = spawn("bash", [path.join(sb, "emanager-agent.sh"), sb], { cwd: sb, detached: true, stdio: ["ignore", out, out] });
        if (!child.pid) return { ok: false as const, message: "the agent process could not be started" };
        child.unref();
        return { ok: true as const, jobId: `local:${child.pid}` };
      } finally {
        closeSync(out);
      }
    },
    async poll(jobIds: string[]) {
      const m = new Map<string, JobStatus>();
      for (const id of jobIds) m.set(id, alive(pidOf(id)) ? { state: "running" } : { state: "ended", reason: "the agent process is gone" });
      return m;
    },
    async cancel(jobId: string) {
      const pid = pidOf(jobId);
      try {
        process.kill(-pid, "SIGTERM");
        // A stopped agent (frozen, SIGSTOPped: the stale-heartbeat case) keeps SIGTERM pending
        // forever; SIGCONT lets it act on it, drain and exit, as a batch system's cancel would.
        process.kill(-pid, "SIGCONT");
      } catch {
        // already gone
      }
    },
    async drain(sandbox: string) {
      await writeFile(path.join(sandbox, "control", "drain"), "");
    },
    async readFacts(sandbox: string, offset: number) {
      const fh = await open(path.join(sandbox, "events.log"), "r").catch(() => null);
      if (!fh) return { facts: [], nextOffset: offset, problems: [] };
      try {
        const { size } = await fh.stat();
        if (size <= offset) return { facts: [], nextOffset: offset, problems: [] };
        const buf = Buffer.alloc(Math.min(size - offset, 8 << 20));
        await fh.read(buf, 0, buf.length, offset);
        return parseAgentFacts(buf, offset);
      } finally {
        await fh.close();
      }
    },
    async heartbeatAgeMs(sandbox: string, now: number) {
      const st = await stat(path.join(sandbox, "heartbeat")).catch(() => null);
      return st ? Math.max(0, now - st.mtimeMs) : null;
    },
    async stageIn(sandbox: string, runDir: string, relPaths: string[]) {
      for (const p of relPaths) await place(path.join(runDir, p), path.join(sandbox, "data", p));
    },
    async submitTasks(sandbox: string, seq: number, tasks: AgentTask[]) {
      const name = `batch-${String(seq).padStart(8, "0")}.tsv`;
      const tmp = path.join(sandbox, "inbox", `.${name}.tmp`);
      // idempotent, as the remote site: a batch already in the inbox or claimed is not sent again
      for (const there of [path.join(sandbox, "inbox", name), path.join(sandbox, "inbox", "claimed", name)]) {
        if (await stat(there).then(() => true, () => false)) return;
      }
      await writeFile(tmp, renderInboxBatch(tasks));
      await rename(tmp, path.join(sandbox, "inbox", name));
    },
    async stageOut(sandbox: string, runDir: string, relPaths: string[]) {
      for (const p of relPaths) await place(path.join(sandbox, "data", p), path.join(runDir, p));
    },
    async fetchTaskLogs(sandbox: string, taskId: string, attempt: number, destDir: string) {
      await mkdir(destDir, { recursive: true });
      const files = taskFiles(taskId, attempt);
      for (const f of ["stdout", "stderr"] as const) {
        const b = await readFile(path.join(sandbox, files[f])).catch(() => Buffer.alloc(0));
        await writeFile(path.join(destDir, f), b.length > LOG_LIMIT ? Buffer.concat([b.subarray(0, LOG_LIMIT), Buffer.from(`\n[truncated at ${LOG_LIMIT} bytes]\n`)]) : b);
      }
    },
    close: async () => undefined,
  };
}
