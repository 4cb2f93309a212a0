import { DownloadStore, SNAPSHOT_FILE, storeKey } from "../archive/download-store";
import { snapshot } from "../archive/run-snapshot";
import type { Db } from "../db/client";
import { lastSeqOf } from "../db/events";
import { loadRunRecord } from "../db/run-record";
import { BIG_JOB_ROWS, collectGarbage } from "./collect";
import { workerDb } from "./download-job";

/**
 * The run page's opening snapshot of a big run (lib/archive/run-snapshot.ts), folded on a worker
 * thread: for a 100,000-task run that is seconds of CPU and a few hundred MB of objects, which the
 * request thread should neither spend nor hold beside the downloads' own fold (one heap for both
 * keeps the server's memory at one fold, not two). The worker keeps its folded runs up to date.
 * The route checked the run is the user's.
 */
export interface SnapshotJob {
  kind: "snapshot";
  dbUrl: string;
  runId: string;
  /** with `storeDir`: a finished run's snapshot is kept there (lib/archive/download-store.ts) and read back */
  userId?: string;
  storeDir?: string | null;
}

export interface SnapshotResult {
  text: string;
  lastSeq: number;
}

export async function snapshotJob(job: SnapshotJob): Promise<SnapshotResult> {
  const db = workerDb(job.dbUrl);
  const stored =
    job.storeDir && job.userId ? await storedSnapshot(db, job.storeDir, job.userId, job.runId) : null;
  if (stored?.text) return { text: stored.text, lastSeq: stored.key.lastSeq };
  const before = lastSeqs.get(job.runId) ?? 0;
  const r = await snapshot(db, job.dbUrl, job.runId);
  if (stored && r.lastSeq === stored.key.lastSeq)
    await stored.store.put(stored.key, { [SNAPSHOT_FILE]: r.text });
  lastSeqs.set(job.runId, r.lastSeq);
  // seqs are the table's ids, so this over-counts when other runs wrote between: a collection too many, at worst
  if (r.lastSeq - before >= BIG_JOB_ROWS) collectGarbage();
  return r;
}

const lastSeqs = new Map<string, number>();

/** A finished run's stored snapshot (text null when not made yet), with where to store it; null for a live run. */
async function storedSnapshot(db: Db, storeDir: string, userId: string, runId: string) {
  const rec = await loadRunRecord(db, userId, runId, { events: false });
  const key = rec ? storeKey(rec, await lastSeqOf(db, runId)) : null;
  if (!key) return null;
  const store = new DownloadStore(storeDir);
  return { key, store, text: (await store.get(key, SNAPSHOT_FILE))?.toString("utf8") ?? null };
}
