import { parentPort, workerData } from "node:worker_threads";
import { downloadJob, type DownloadJob } from "./download-job";
import { runJob, type Loaded, type TWorkJob } from "./jobs";
import { snapshotJob, type SnapshotJob } from "./snapshot-job";
import { Lru } from "./lru";

/**
 * Entry of a pool worker (loaded through tsx: `--import tsx`). Runs one job at a time and keeps
 * the expanded workloads of recent skeletons, so the plan page after the preview (or after a
 * change of resources) does not expand the same million tasks again. Bounded by tasks: a
 * 1,000,000-task workload holds about 1 GB here.
 */
const maxTasks =
  typeof workerData === "object" &&
  workerData !== null &&
  typeof (workerData as { cacheTasks?: unknown }).cacheTasks === "number"
    ? (workerData as { cacheTasks: number }).cacheTasks
    : 1_000_000;
const store = new Lru<Loaded>(8, maxTasks, (l) => Math.max(1, l.workload.tasks.length));

interface Request {
  id: number;
  job: TWorkJob | DownloadJob | SnapshotJob;
}

const port = parentPort;
if (!port) throw new Error("lib/work/worker.ts runs only as a worker thread");
port.on("message", async (m: Request) => {
  try {
    // one job at a time: the pool sends the next only after this answer
    const value =
      m.job.kind === "download"
        ? await downloadJob(m.job)
        : m.job.kind === "snapshot"
          ? await snapshotJob(m.job)
          : runJob(m.job, store);
    // a zip, PNG or stored file is moved to the request thread, not copied; a small Buffer may be a
    // view into Node's shared pool, which cannot be moved (and must not be): that one is copied
    const body = typeof value === "object" && "body" in value ? value.body : null;
    const bytes =
      body instanceof Uint8Array && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
        ? [body.buffer as ArrayBuffer]
        : [];
    port.postMessage({ id: m.id, ok: true, value }, bytes);
  } catch (e: unknown) {
    // a bug in a job, not an expected failure (those are results): report it, stay alive
    port.postMessage({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
port.postMessage({ ready: true });
