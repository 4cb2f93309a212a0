import os from "node:os";
import path from "node:path";
import type { DownloadJob, DownloadResult } from "./download-job";
import type { SnapshotJob, SnapshotResult } from "./snapshot-job";
import type { PlanJobResult, PredictJobResult, SkeletonInfo, SkeletonJobResult, TWorkJob } from "./jobs";
import { databaseUrl, downloadsDir } from "../config/paths";
import { Lru } from "./lru";
import { isWorkError, WorkPool, type PoolOptions } from "./pool";

export { isWorkError, WorkError, WorkPool, type PoolStats } from "./pool";
export type { DownloadJob, DownloadResult } from "./download-job";
export type { SnapshotJob, SnapshotResult } from "./snapshot-job";
export {
  taskLimitMessage,
  type SkeletonInfo,
  type TWorkJob,
  type PlanJobResult,
  type PredictJobResult,
  type SkeletonJobResult,
} from "./jobs";

/**
 * The server's one pool (on globalThis, as the database client, so Next's module copies share
 * it), and the typed calls the pages make. The worker's entry is resolved from the working
 * directory, never from this module's URL: inside `next start` this code runs from the bundle
 * in the dist directory, while the worker loads the TypeScript sources through tsx.
 */

function envInt(name: string, lo: number, hi: number, d: number): number {
  const v = process.env[name];
  return v !== undefined && /^\d+$/.test(v) ? Math.min(hi, Math.max(lo, Number(v))) : d;
}

export function poolOptionsFromEnv(): PoolOptions {
  // one core is left to the request thread and the engine
  const size = envInt("EMANAGER_WORKERS", 1, 8, Math.min(2, Math.max(1, os.availableParallelism() - 1)));
  return {
    entry: path.join(process.cwd(), "lib", "work", "worker.ts"),
    tsx: true,
    size,
    maxPerUser: 2,
    maxQueued: 32,
    deadlineMs: envInt("EMANAGER_WORK_DEADLINE_S", 1, 3600, 60) * 1000,
    // a runaway job ends its worker (ERR_WORKER_OUT_OF_MEMORY), not the server
    resourceLimits: { maxOldGenerationSizeMb: 4096 },
  };
}

const g = globalThis as unknown as { __emanagerWork?: WorkPool; __emanagerWorkCache?: Lru<SkeletonInfo> };

export function workPool(): WorkPool {
  g.__emanagerWork ??= new WorkPool(poolOptionsFromEnv());
  return g.__emanagerWork;
}

/** Preview summaries by skeleton id + seed: a few KB each, so many fit. Stored skeletons never change. */
function infoCache(): Lru<SkeletonInfo> {
  g.__emanagerWorkCache ??= new Lru<SkeletonInfo>(500, 8 << 20, (v) => JSON.stringify(v).length);
  return g.__emanagerWorkCache;
}

export async function runWork(
  pool: WorkPool,
  userId: string,
  job: Extract<TWorkJob, { kind: "skeleton" }>,
): Promise<SkeletonJobResult>;
export async function runWork(
  pool: WorkPool,
  userId: string,
  job: Extract<TWorkJob, { kind: "plan" }>,
): Promise<PlanJobResult>;
export async function runWork(
  pool: WorkPool,
  userId: string,
  job: Extract<TWorkJob, { kind: "predict" }>,
): Promise<PredictJobResult>;
export async function runWork(pool: WorkPool, userId: string, job: DownloadJob): Promise<DownloadResult>;
export async function runWork(pool: WorkPool, userId: string, job: SnapshotJob): Promise<SnapshotResult>;
export async function runWork(
  pool: WorkPool,
  userId: string,
  job: TWorkJob | DownloadJob | SnapshotJob,
): Promise<SkeletonJobResult | PlanJobResult | PredictJobResult | DownloadResult | SnapshotResult> {
  // the worker runs our own jobs.ts, download-job.ts and snapshot-job.ts, so its answer has the job's result type
  return (await pool.run(userId, job)) as
    SkeletonJobResult | PlanJobResult | PredictJobResult | DownloadResult | SnapshotResult;
}

/** The preview of a stored skeleton, computed once per skeleton id + seed. */
export async function skeletonInfo(
  userId: string,
  sk: { id: string; name: string; text: string },
  seed = 0,
  pool = workPool(),
): Promise<SkeletonJobResult> {
  const key = `${sk.id}:${seed}`;
  const hit = infoCache().get(key);
  if (hit) return { ok: true, info: hit };
  const r = await runWork(pool, userId, {
    kind: "skeleton",
    key,
    text: sk.text,
    fileName: sk.name,
    seed,
    taskLimit: null,
  });
  if (r.ok) infoCache().set(key, r.info);
  return r;
}

/** Puts a freshly computed preview in the cache (the upload computed it already). */
export function rememberSkeletonInfo(id: string, seed: number, info: SkeletonInfo): void {
  infoCache().set(`${id}:${seed}`, info);
}

/** A user-facing message for a refused or failed job. */
export function workErrorMessage(e: unknown): string | null {
  return isWorkError(e) ? e.message : null;
}

/**
 * Makes and stores a finished run's downloads (statistics, timeline, compressed log) ahead of its
 * first download, on the worker pool; the engine's run-end hook calls it (instrumentation.ts).
 * Counted apart from the owner's own jobs, so their downloads are never refused for it.
 */
export async function prepareDownloads(runId: string, userId: string): Promise<void> {
  const r = await runWork(workPool(), `prepare:${userId}`, {
    kind: "download",
    dbUrl: databaseUrl(),
    userId,
    runId,
    file: "prepare",
    timeline: { theme: "light", width: 1200, scale: 1 },
    storeDir: downloadsDir(),
  });
  if (!r.ok) throw new Error(r.message);
}
