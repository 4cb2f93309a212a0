import { buildArchive, summaryFiles, type SummaryFiles } from "../archive/run-files";
import { loadFoldedRun } from "../archive/run-source";
import { openDb, type Db } from "../db/client";
import { runTimelineSvg } from "../timeline/export";
import { svgToPng } from "../timeline/png";
import { BIG_JOB_ROWS, collectGarbage } from "./collect";
import { Lru } from "./lru";

/**
 * A run's downloads (statistics files, timeline, archive), computed on a worker thread: for a
 * large run, reading its event log and folding it into statistics takes seconds. The worker opens
 * its own connection to the same database (SQLite allows several readers).
 */
export interface DownloadJob {
  kind: "download";
  dbUrl: string;
  userId: string;
  runId: string;
  /** a statistics file (tasks.csv, …), `timeline.svg`, `timeline.png` or `archive`; the route checked the name */
  file: string;
  timeline: { theme: "light" | "dark"; width: number; scale: number };
}

export type DownloadResult =
  | { ok: true; runName: string; fileName: string | null; body: string | Uint8Array }
  | { ok: false; code: "NOT_FOUND"; message: string };

const dbs = new Map<string, Db>();
// every statistics file of a run at a given length of its log: the downloads of one run come in a row
const files = new Lru<SummaryFiles>(16, 64 << 20, (f) => Object.values(f).reduce((n, s) => n + s.length, 0));

/** The worker's client for a database (the server migrated it before it started the pool). */
export function workerDb(url: string): Db {
  let db = dbs.get(url);
  if (!db) {
    db = openDb(url, { migrate: false });
    dbs.set(url, db);
  }
  return db;
}

export async function downloadJob(job: DownloadJob): Promise<DownloadResult> {
  const read = { rows: 0 };
  const r = await download(job, read);
  if (read.rows >= BIG_JOB_ROWS) collectGarbage();
  return r;
}

async function download(job: DownloadJob, read: { rows: number }): Promise<DownloadResult> {
  const db = workerDb(job.dbUrl);
  // one pass over the log: read, folded and written as events.jsonl (lib/archive/run-source.ts)
  const jsonl = job.file === "archive" ? "deflated" : job.file === "events.jsonl" ? "slices" : undefined;
  const folded = await loadFoldedRun(db, job.dbUrl, job.userId, job.runId, { jsonl });
  if (!folded) return { ok: false, code: "NOT_FOUND", message: "No such run in your account." };
  read.rows = folded.scanned;
  const { rec, view } = folded;
  if (job.file === "archive") {
    const a = await buildArchive(rec, folded);
    return { ok: true, runName: rec.name, fileName: a.name, body: a.zip };
  }
  if (job.file === "timeline.svg" || job.file === "timeline.png") {
    const svg = runTimelineSvg(rec, { theme: job.timeline.theme, width: job.timeline.width }, view);
    return {
      ok: true,
      runName: rec.name,
      fileName: null,
      body: job.file === "timeline.svg" ? svg : svgToPng(svg, { scale: job.timeline.scale }),
    };
  }
  const key = `${rec.id}:${rec.state}:${folded.count}:${folded.lastSeq}`;
  if (job.file === "events.jsonl")
    return {
      ok: true,
      runName: rec.name,
      fileName: null,
      body: Buffer.concat(Array.isArray(folded.jsonl) ? folded.jsonl : []),
    };
  let all = files.get(key);
  if (!all) {
    all = summaryFiles(rec, view, folded.checked);
    files.set(key, all);
  }
  const body = Object.hasOwn(all, job.file) ? all[job.file as keyof SummaryFiles] : undefined;
  if (body === undefined) return { ok: false, code: "NOT_FOUND", message: `No download named ${job.file}.` };
  return { ok: true, runName: rec.name, fileName: null, body };
}
