import type { Db } from "../db/client";
import { scanEventRows } from "../db/event-scan";
import { loadRunRecord, type RunRecord } from "../db/run-record";
import type { RunEvent } from "../model/event";
import {
  emptyView,
  foldRows,
  tupleEvent,
  type DataTexts,
  type EventTuple,
  type RunView,
} from "../stats/fold";
import { cachedFold } from "./run-snapshot";
import { DeflateWriter, type DeflatedFile } from "./zip";

/**
 * A run for its downloads, read in one pass over its event log and folded as it is read, so the
 * statistics, the timeline and the archive do not fold it again each. A 100,000-task run has
 * 900,000 events; what else the pass keeps is only what is asked for:
 *  - `rec.events`, every event as a RunEvent, only when the run has a prediction to compare
 *    (lib/sim/versus.ts replays the log; predictions are made for runs up to 10,000 tasks);
 *  - `checked`, the events computeStats must report (times that are not valid);
 *  - `jsonl`, events.jsonl, on request: in slices (190 MB for that run: buffers, never one string),
 *    or (`"deflated"`, for the archive) compressed as it is written, while the next slices are read.
 * When this process folded the run for its page (./run-snapshot.ts) and nothing was written since,
 * that fold is used, and the log is read only for events.jsonl, if asked.
 */
export interface FoldedRun {
  rec: RunRecord;
  view: RunView;
  /** events read, and the seq of the last one: the run's log at this length */
  count: number;
  lastSeq: number;
  /** events read from the database for this (0 when the page's fold was used as it was) */
  scanned: number;
  checked: RunEvent[];
  jsonl: Buffer[] | DeflatedFile | null;
}

// ids and state names need no escaping: quoted directly (JSON.stringify on 4.5 million strings is most of the log's cost)
const PLAIN = /^[\w.:-]*$/;
const countOf = (db: Db, runId: string) => db.event.count({ where: { runId } });

const q = (s: string | null) => (s === null ? "null" : PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * One line of events.jsonl: JSON.stringify of the RunEvent, with `data` as the database keeps it
 * (the text JSON.stringify wrote when the event was recorded; the same object, not encoded again).
 */
function line(runQ: string, r: EventTuple): string {
  return `{"seq":${r[0]},"runId":${runQ},"entity":${q(r[1])},"entityId":${q(r[2])},"from":${q(r[3])},"to":${q(r[4])},"at":${r[5]},"reason":${q(r[6])},"data":${r[7] ?? "null"}}\n`;
}

export async function loadFoldedRun(
  db: Db,
  url: string,
  userId: string,
  runId: string,
  opts: { jsonl?: "slices" | "deflated"; noCache?: boolean; rec?: RunRecord } = {},
): Promise<FoldedRun | null> {
  const rec = opts.rec ?? (await loadRunRecord(db, userId, runId, { events: false }));
  if (!rec) return null;
  const keepAll = rec.prediction !== null;
  // the page's fold of this run, when this process has it as the log stands (./run-snapshot.ts)
  const cached = keepAll || opts.noCache ? null : await cachedFold(db, rec.id);
  if (cached && !opts.jsonl)
    return { rec, ...cached, count: await countOf(db, rec.id), scanned: 0, jsonl: null };
  const view = emptyView();
  const texts: DataTexts = new Map();
  const events: RunEvent[] = [];
  const checked: RunEvent[] = [];
  const slices: Buffer[] = [];
  const deflate = opts.jsonl === "deflated" ? new DeflateWriter(1) : null;
  const runQ = JSON.stringify(rec.id);
  let count = 0;
  let lastSeq = 0;
  for await (const rows of scanEventRows(db, url, rec.id)) {
    if (!cached) foldRows(view, rec.id, rows, texts);
    count += rows.length;
    lastSeq = rows[rows.length - 1]![0];
    let text = "";
    for (const r of rows) {
      if (keepAll) events.push(tupleEvent(rec.id, r, texts));
      if (!Number.isFinite(r[5]) || r[5] <= 0) checked.push(tupleEvent(rec.id, r, texts));
      if (opts.jsonl) text += line(runQ, r);
    }
    if (deflate) await deflate.write(Buffer.from(text, "utf8"));
    else if (opts.jsonl) slices.push(Buffer.from(text, "utf8"));
  }
  const jsonl = deflate ? await deflate.end() : opts.jsonl ? slices : null;
  if (cached) {
    // events written since the check: the page's fold is behind the log just read, so fold it here
    if (cached.lastSeq !== lastSeq) return loadFoldedRun(db, url, userId, runId, { ...opts, noCache: true });
    return {
      rec: { ...rec, events },
      view: cached.view,
      count,
      lastSeq,
      scanned: count,
      checked: cached.checked,
      jsonl,
    };
  }
  return { rec: { ...rec, events }, view, count, lastSeq, scanned: count, checked, jsonl };
}

/**
 * events.jsonl of a run whose statistics are made already (./download-store.ts keeps them):
 * the log read once and compressed as it is written, with no fold.
 */
export async function deflatedEventsJsonl(db: Db, url: string, runId: string): Promise<DeflatedFile> {
  const deflate = new DeflateWriter(1);
  const runQ = JSON.stringify(runId);
  for await (const rows of scanEventRows(db, url, runId)) {
    let text = "";
    for (const r of rows) text += line(runQ, r);
    await deflate.write(Buffer.from(text, "utf8"));
  }
  return deflate.end();
}
