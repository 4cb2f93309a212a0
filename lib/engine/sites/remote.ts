import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BatchAdapter, JobStatus, PilotJobSpec } from "../../batch/types";
import { ENGINE_WORKDIR, renderAgentConf, renderInboxBatch } from "../../protocol/agent";
import { parseAgentFacts } from "../facts";
import { batchFile, DRAIN_FILE, SANDBOX, taskFiles } from "../../protocol/sandbox";
import { sh, shJoin } from "../../shell/quote";
import { TransportError } from "../../transport/errors";
import type { Transport } from "../../transport/types";
import type { AgentTask } from "../../protocol/agent";
import type { PilotSite } from "../ports";

/**
 * The one pilot site: a resource reached over a Transport with a batch system. Clusters are
 * reached over SSH; the `local` resource is this machine (LocalTransport) with the fork adapter
 * (lib/batch/local.ts), so every pilot follows the same sandbox protocol. The sandbox lives on the
 * resource's (shared) filesystem; the server writes the agent, its configuration and task batches
 * there, submits the job, and reads the agent's facts back. Nothing on the cluster connects out.
 */
const AGENT = path.join(process.cwd(), "agent", "emanager-agent.sh");
const LOG_LIMIT = 1 << 20;
/**
 * Deadlines for file operations. An SFTP transfer in flight when the connection drops does not
 * fail, it waits for the transport's call deadline (60 s by default), and the whole engine tick
 * waits with it; small control files get a short deadline, data files one that grows with size.
 */
const SMALL_FILE_MS = 10_000;
const fileMs = (bytes: number) => SMALL_FILE_MS + Math.ceil(bytes / (1 << 20)) * 1_000;

/**
 * ssh2 answers "Unable to exec" when the server refuses the exec request on an opened channel,
 * which is what a server side killed at that moment does: the command never started. The
 * transport reports it as a non-retryable REMOTE error; for the engine it is a dropped connection.
 */
function neverStarted(e: unknown): boolean {
  return e instanceof TransportError && /^Unable to exec\b/.test(e.message);
}

/** Retries a step after a dropped connection: any retryable error when `idempotent`, else only when it never started. */
async function again<T>(step: () => Promise<T>, idempotent: boolean, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (e: unknown) {
      const retry = neverStarted(e) || (idempotent && e instanceof TransportError && e.retryable);
      if (!retry || i >= attempts) throw e;
    }
  }
}

export function remoteSite(
  t: Transport,
  batch: BatchAdapter,
  workDir: string,
  opts: { heartbeatSeconds?: number; drainMarginSeconds?: number } = {},
): PilotSite {
  let root: string | null = null;
  /** hand-overs whose last try failed: `sandbox|seq` (the next try first looks for the batch) */
  const uncertain = new Set<string>();
  const mkdirs = async (dirs: string[]) => {
    if (dirs.length === 0) return;
    const r = await t.exec(`mkdir -p ${shJoin(dirs)}`);
    if (r.code !== 0) throw new Error(`cannot create directories on the resource: ${r.stderr.trim()}`);
  };
  return {
    async sandboxRoot() {
      if (root) return root;
      if (workDir.startsWith("/")) root = workDir;
      else {
        const home = (await t.exec('printf %s "$HOME"')).stdout.trim();
        if (!home.startsWith("/")) throw new Error("cannot find the home directory on the resource");
        root = `${home}/${workDir.replace(/^~\/?/, "")}`;
      }
      return root;
    },
    async launch(spec: PilotJobSpec) {
      const sb = spec.sandbox;
      const agent = await readFile(AGENT);
      const conf = renderAgentConf({
        pilotId: spec.pilotId,
        cores: spec.cores,
        walltimeSeconds: Math.max(1, Math.floor(spec.walltimeMinutes * 60)),
        drainMarginSeconds: opts.drainMarginSeconds ?? 30,
        heartbeatSeconds: opts.heartbeatSeconds ?? 5,
        launch: "fork",
      });
      // Everything before the submission can be repeated after a dropped connection; the
      // submission itself cannot (a lost reply may hide a job that was queued), so it runs once.
      await again(async () => {
        await mkdirs(
          [SANDBOX.inbox, SANDBOX.control, SANDBOX.tasks, ENGINE_WORKDIR].map((d) => `${sb}/${d}`),
        );
        await t.writeFile(`${sb}/emanager-agent.sh`, agent, { mode: 0o755, timeoutMs: fileMs(agent.length) });
        await t.writeFile(`${sb}/agent.conf`, conf, { timeoutMs: SMALL_FILE_MS });
        await t.writeFile(`${sb}/pilot.job`, batch.renderJobScript(spec), {
          mode: 0o755,
          timeoutMs: SMALL_FILE_MS,
        });
      }, true);
      const r = await again(() => t.exec(`cd ${sh(sb)} && ${batch.submitCommand(`${sb}/pilot.job`)}`), false);
      const s = batch.parseSubmit(r.stdout, r.stderr, r.code);
      return s.ok ? { ok: true as const, jobId: s.jobId } : { ok: false as const, message: s.message };
    },
    async poll(jobIds: string[]): Promise<Map<string, JobStatus>> {
      const r = await t.exec(batch.statusCommand(jobIds));
      return batch.parseStatus(r.stdout, r.stderr, jobIds, r.code);
    },
    async cancel(jobId: string) {
      // a refused cancel is reported (the engine confirms the job's end by its status anyway)
      const r = await t.exec(batch.cancelCommand(jobId));
      if (r.code !== 0)
        throw new Error(
          `${batch.cancelCommand(jobId)} failed (exit code ${r.code}): ${(r.stderr || r.stdout).trim().split(/\r?\n/).slice(0, 2).join(" | ") || "no output"}`,
        );
    },
    async drain(sandbox: string) {
      await t.writeFile(`${sandbox}/${DRAIN_FILE}`, "", { timeoutMs: SMALL_FILE_MS });
    },
    async readFacts(sandbox: string, offset: number) {
      const st = await t.stat(`${sandbox}/${SANDBOX.events}`, { timeoutMs: SMALL_FILE_MS });
      if (!st || st.size <= offset) return { facts: [], nextOffset: offset, problems: [] };
      return parseAgentFacts(
        await t.readFile(`${sandbox}/${SANDBOX.events}`, {
          offset,
          maxBytes: 8 << 20,
          timeoutMs: fileMs(Math.min(st.size - offset, 8 << 20)),
        }),
        offset,
      );
    },
    watchEvents(sandbox: string, onChange: () => void) {
      return t.watch?.(sandbox, onChange) ?? null;
    },
    async heartbeatAgeMs(sandbox: string, now: number) {
      const st = await t.stat(`${sandbox}/${SANDBOX.heartbeat}`, { timeoutMs: SMALL_FILE_MS });
      return st ? Math.max(0, now - st.mtimeMs) : null;
    },
    async stageIn(sandbox: string, runDir: string, relPaths: string[]) {
      await mkdirs([
        ...new Set(relPaths.map((p) => `${sandbox}/${ENGINE_WORKDIR}/${path.posix.dirname(p)}`)),
      ]);
      for (const p of relPaths) {
        const bytes = await readFile(path.join(runDir, p));
        await t.writeFile(`${sandbox}/${ENGINE_WORKDIR}/${p}.part`, bytes, {
          timeoutMs: fileMs(bytes.length),
        });
        await t.rename(`${sandbox}/${ENGINE_WORKDIR}/${p}.part`, `${sandbox}/${ENGINE_WORKDIR}/${p}`);
      }
    },
    async submitTasks(sandbox: string, seq: number, tasks: AgentTask[]) {
      const batch = batchFile(seq);
      const claimed = `${SANDBOX.claimed}/${batch.final.slice(SANDBOX.inbox.length + 1)}`;
      const key = `${sandbox}|${seq}`;
      // A repeat of a hand-over that failed without knowing whether it arrived: the rename is the
      // delivery, and the agent moves a batch into inbox/claimed/ (then acknowledges it with
      // batch_read) before reading it, so either file means the agent has it: not sent again.
      if (uncertain.has(key)) {
        const there =
          (await t.stat(`${sandbox}/${batch.final}`, { timeoutMs: SMALL_FILE_MS })) ??
          (await t.stat(`${sandbox}/${claimed}`, { timeoutMs: SMALL_FILE_MS }));
        if (there) {
          uncertain.delete(key);
          return;
        }
      }
      const text = renderInboxBatch(tasks);
      try {
        await t.writeFile(`${sandbox}/${batch.temp}`, text, { timeoutMs: fileMs(text.length) });
        await t.rename(`${sandbox}/${batch.temp}`, `${sandbox}/${batch.final}`);
      } catch (e: unknown) {
        uncertain.add(key);
        throw e;
      }
      uncertain.delete(key);
    },
    async stageOut(sandbox: string, runDir: string, relPaths: string[]) {
      for (const p of relPaths) {
        const data = await t.readFile(`${sandbox}/${ENGINE_WORKDIR}/${p}`);
        await mkdir(path.dirname(path.join(runDir, p)), { recursive: true });
        await writeFile(path.join(runDir, p), data);
      }
    },
    async fetchTaskLogs(sandbox: string, taskId: string, attempt: number, destDir: string) {
      await mkdir(destDir, { recursive: true });
      const files = taskFiles(taskId, attempt);
      for (const f of ["stdout", "stderr"] as const) {
        const b = await t
          .readFile(`${sandbox}/${files[f]}`, { maxBytes: LOG_LIMIT })
          .catch(() => Buffer.alloc(0));
        // the run directory is run-time data outside the sources: not for the build to trace
        await writeFile(path.join(/*turbopackIgnore: true*/ destDir, f), b);
      }
    },
    close: () => t.close(),
  };
}
