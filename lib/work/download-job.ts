import { inflateRawSync } from "node:zlib";
import { z } from "zod";
import {
  DownloadStore,
  packDeflated,
  SNAPSHOT_FILE,
  storeKey,
  unpackDeflated,
  type StoreKey,
} from "../archive/download-store";
import { forgetFold, snapshot } from "../archive/run-snapshot";
import {
  archiveFrom,
  archiveParts,
  buildArchive,
  summaryFiles,
  type ArchiveParts,
  type SummaryFiles,
} from "../archive/run-files";
import { deflatedEventsJsonl, loadFoldedRun } from "../archive/run-source";
import type { DeflatedFile } from "../archive/zip";
import { openDb, type Db } from "../db/client";
import { lastSeqOf } from "../db/events";
import { loadRunRecord, type RunRecord } from "../db/run-record";
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
  /**
   * a statistics file (tasks.csv, …), `timeline.svg`, `timeline.png` or `archive`; the route checked
   * the name. `prepare`: no file, every download of a finished run made and stored ahead of its
   * first request (the engine asks for it when a run ends).
   */
  file: string;
  timeline: { theme: "light" | "dark"; width: number; scale: number };
  /** where the downloads of finished runs are kept (lib/archive/download-store.ts); null: never stored */
  storeDir: string | null;
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

const SUMMARY = ["run.json", "pilots.csv", "tasks.csv", "timeseries.csv", "report.txt"] as const;
// the archive's parts beside the summary files: its timeline (default size and theme) and the compressed log
const ARCHIVE_SVG = "archive-timeline.svg";
const JSONL = "events.jsonl.deflate";
const META = "archive.json";
const ZMeta = z.object({ tasks: z.number().int().nonnegative() });
const parseJson = (t: string): unknown => {
  try {
    return JSON.parse(t);
  } catch {
    return null;
  }
};

async function download(job: DownloadJob, read: { rows: number }): Promise<DownloadResult> {
  const db = workerDb(job.dbUrl);
  const rec = await loadRunRecord(db, job.userId, job.runId, { events: false });
  if (!rec) return { ok: false, code: "NOT_FOUND", message: "No such run in your account." };
  const key = job.storeDir ? storeKey(rec, await lastSeqOf(db, rec.id)) : null;
  if (!key || !job.storeDir)
    // a live run (or no store): prepared downloads would be stale at once, so none are made
    return job.file === "prepare"
      ? { ok: true, runName: rec.name, fileName: null, body: "" }
      : made(job, rec, read);
  const store = new DownloadStore(job.storeDir);
  const svgName = (ext: string) =>
    `timeline-${job.timeline.theme}-${job.timeline.width}${ext === "png" ? `@${job.timeline.scale}` : ""}.${ext}`;
  const stored = async (name: string, make: () => Promise<DownloadResult>) => {
    const b = await store.get(key, name);
    if (b) return { ok: true as const, runName: rec.name, fileName: null, body: b };
    const r = await make();
    if (r.ok) await store.put(key, { [name]: r.body });
    return r;
  };
  if (job.file === "timeline.svg") return stored(svgName("svg"), () => made(job, rec, read));
  if (job.file === "timeline.png") return stored(svgName("png"), () => made(job, rec, read));
  if (job.file === "prepare") {
    // the page's snapshot first: its fold stays in this worker, and the statistics below reuse it
    const snap = await snapshot(db, job.dbUrl, rec.id);
    if (snap.lastSeq === key.lastSeq) await store.put(key, { [SNAPSHOT_FILE]: snap.text });
    read.rows = snap.lastSeq;
  }
  const parts = await storedParts(job, rec, key, store, read);
  if (job.file === "prepare") {
    // everything is stored: this worker need not keep the run's fold
    forgetFold(rec.id);
    // deleted while its files were made: none is left behind
    if (!(await db.run.findFirst({ where: { id: rec.id }, select: { id: true } })))
      await store.remove(rec.id);
    return { ok: true, runName: rec.name, fileName: null, body: "" };
  }
  if (job.file === "archive") {
    const a = await archiveFrom(rec, parts);
    return { ok: true, runName: rec.name, fileName: a.name, body: a.zip };
  }
  if (job.file === "events.jsonl")
    return {
      ok: true,
      runName: rec.name,
      fileName: null,
      body: inflateRawSync((parts.jsonl as DeflatedFile).packed),
    };
  const body = (parts.summary as Record<string, string | Uint8Array>)[job.file];
  if (body === undefined) return { ok: false, code: "NOT_FOUND", message: `No download named ${job.file}.` };
  return { ok: true, runName: rec.name, fileName: null, body };
}

/**
 * A finished run's statistics files, archive timeline and compressed log, from the store; what is
 * missing is made and stored. A statistics file asked first makes all but the log (one fold);
 * the archive or the log asked next only reads the log again, without folding it.
 */
async function storedParts(
  job: DownloadJob,
  rec: RunRecord,
  key: StoreKey,
  store: DownloadStore,
  read: { rows: number },
): Promise<ArchiveParts> {
  const wantLog = job.file === "archive" || job.file === "events.jsonl" || job.file === "prepare";
  const have = await store.getAll(key, [...SUMMARY, ARCHIVE_SVG, META]);
  // a stored file that does not read (a disk that filled, a hand edit) is made again, not trusted
  const meta = have ? ZMeta.safeParse(parseJson(have[META].toString("utf8"))) : null;
  const stored = wantLog ? await store.get(key, JSONL) : null;
  const log = stored && stored.length >= 8 ? stored : null;
  if (have && meta?.success) {
    const parts: ArchiveParts = {
      tasks: meta.data.tasks,
      summary: have,
      timelineSvg: have[ARCHIVE_SVG],
      jsonl: [],
    };
    if (!wantLog) return parts;
    if (log) return { ...parts, jsonl: unpackDeflated(log) };
    const jsonl = await deflatedEventsJsonl(workerDb(job.dbUrl), job.dbUrl, rec.id);
    await store.put(key, { [JSONL]: packDeflated(jsonl) });
    return { ...parts, jsonl };
  }
  const folded = await loadFoldedRun(workerDb(job.dbUrl), job.dbUrl, job.userId, job.runId, {
    rec,
    ...(wantLog && !log ? { jsonl: "deflated" as const } : {}),
  });
  if (!folded) throw new Error(`run ${rec.id} went away while its downloads were made`);
  read.rows = folded.scanned;
  const parts = archiveParts(folded.rec, folded);
  const jsonl = log ? unpackDeflated(log) : (folded.jsonl as DeflatedFile | null);
  await store.put(key, {
    ...parts.summary,
    [ARCHIVE_SVG]: parts.timelineSvg,
    [META]: JSON.stringify({ tasks: parts.tasks }),
    ...(jsonl && !log ? { [JSONL]: packDeflated(jsonl) } : {}),
  });
  return { ...parts, jsonl: jsonl ?? [] };
}

/** A download made from the log, for a run that is not stored (live, or no store given). */
async function made(job: DownloadJob, rec: RunRecord, read: { rows: number }): Promise<DownloadResult> {
  const db = workerDb(job.dbUrl);
  // one pass over the log: read, folded and written as events.jsonl (lib/archive/run-source.ts)
  const jsonl = job.file === "archive" ? "deflated" : job.file === "events.jsonl" ? "slices" : undefined;
  const folded = await loadFoldedRun(db, job.dbUrl, job.userId, job.runId, { jsonl, rec });
  if (!folded) return { ok: false, code: "NOT_FOUND", message: "No such run in your account." };
  read.rows = folded.scanned;
  const { view } = folded;
  if (job.file === "archive") {
    const a = await buildArchive(folded.rec, folded);
    return { ok: true, runName: rec.name, fileName: a.name, body: a.zip };
  }
  if (job.file === "timeline.svg" || job.file === "timeline.png") {
    const svg = runTimelineSvg(folded.rec, { theme: job.timeline.theme, width: job.timeline.width }, view);
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
    all = summaryFiles(folded.rec, view, folded.checked);
    files.set(key, all);
  }
  const body = Object.hasOwn(all, job.file) ? all[job.file as keyof SummaryFiles] : undefined;
  if (body === undefined) return { ok: false, code: "NOT_FOUND", message: `No download named ${job.file}.` };
  return { ok: true, runName: rec.name, fileName: null, body };
}
