import { snapshot } from "../archive/run-snapshot";
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
}

export interface SnapshotResult {
  text: string;
  lastSeq: number;
}

export async function snapshotJob(job: SnapshotJob): Promise<SnapshotResult> {
  const before = lastSeqs.get(job.runId) ?? 0;
  const r = await snapshot(workerDb(job.dbUrl), job.dbUrl, job.runId);
  lastSeqs.set(job.runId, r.lastSeq);
  // seqs are the table's ids, so this over-counts when other runs wrote between: a collection too many, at worst
  if (r.lastSeq - before >= BIG_JOB_ROWS) collectGarbage();
  return r;
}

const lastSeqs = new Map<string, number>();
