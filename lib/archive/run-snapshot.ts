import type { Db } from "../db/client";
import { scanEventRows } from "../db/event-scan";
import { lastSeqOf } from "../db/events";
import type { RunEvent } from "../model/event";
import { emptyView, foldRows, tupleEvent, type DataTexts, type RunView } from "../stats/fold";
import { encodeSnapshot } from "../stats/snapshot";

/**
 * The opening message of the run page's event stream: the run folded on the server
 * (lib/stats/snapshot.ts) with the newest TAIL events for the event log. Folding a 100,000-task
 * log (900,000 events) takes seconds, and the log only grows, so each run's folded view is kept
 * and brought up to date with the events written since: a reload, a second viewer or a live run's
 * next visitor folds only what is new, and the downloads of the run reuse the fold (cachedFold).
 * Bounded by the tasks of the views kept.
 */
const TAIL = 5_000;
const MAX_TASKS = 250_000;

interface Folded {
  view: RunView;
  texts: DataTexts;
  lastSeq: number;
  tail: RunEvent[];
  /** events whose time computeStats reports as not valid */
  checked: RunEvent[];
  /** the encoded snapshot at `textSeq` */
  text: string | null;
  textSeq: number;
}

const g = globalThis as unknown as { __emanagerSnapshots?: Map<string, Folded> };
function cache(): Map<string, Folded> {
  g.__emanagerSnapshots ??= new Map();
  return g.__emanagerSnapshots;
}

/** Least recently used first (a Map iterates in insertion order); the newest entry always stays. */
function trim(c: Map<string, Folded>): void {
  let tasks = 0;
  for (const e of c.values()) tasks += e.view.tasks.size;
  for (const [k, e] of c) {
    if (tasks <= MAX_TASKS || c.size === 1) break;
    c.delete(k);
    tasks -= e.view.tasks.size;
  }
}

/** A lock per run: two viewers opening the same run at once fold it once. */
const pending = new Map<string, Promise<unknown>>();

function locked<T>(runId: string, f: () => Promise<T>): Promise<T> {
  const before = pending.get(runId);
  const p = (async () => {
    await before?.catch(() => undefined);
    return f();
  })();
  pending.set(runId, p);
  return p.finally(() => {
    if (pending.get(runId) === p) pending.delete(runId);
  });
}

export function snapshot(db: Db, url: string, runId: string): Promise<{ text: string; lastSeq: number }> {
  return locked(runId, async () => {
    const f = await bringUpToDate(db, url, runId);
    if (f.textSeq !== f.lastSeq || f.text === null) {
      f.text = JSON.stringify(encodeSnapshot(runId, f.view, f.lastSeq, f.tail));
      f.textSeq = f.lastSeq;
    }
    return { text: f.text, lastSeq: f.lastSeq };
  });
}

/**
 * The run as this process folded it for the page, when it has it and nothing was written since:
 * the downloads then need not read and fold the log again (the page is where they are asked for).
 */
export function cachedFold(
  db: Db,
  runId: string,
): Promise<{ view: RunView; lastSeq: number; checked: RunEvent[] } | null> {
  return locked(runId, async () => {
    const f = cache().get(runId);
    if (!f) return null;
    return (await lastSeqOf(db, runId)) === f.lastSeq
      ? { view: f.view, lastSeq: f.lastSeq, checked: f.checked }
      : null;
  });
}

/** Drops this process's fold of a run (its snapshot and downloads are stored now: ./download-store.ts). */
export function forgetFold(runId: string): void {
  cache().delete(runId);
}

async function bringUpToDate(db: Db, url: string, runId: string): Promise<Folded> {
  const c = cache();
  const f: Folded = c.get(runId) ?? {
    view: emptyView(),
    texts: new Map(),
    lastSeq: 0,
    tail: [],
    checked: [],
    text: null,
    textSeq: -1,
  };
  c.delete(runId);
  c.set(runId, f);
  for await (const rows of scanEventRows(db, url, runId, f.lastSeq)) {
    foldRows(f.view, runId, rows, f.texts);
    f.lastSeq = rows[rows.length - 1]![0];
    for (const r of rows)
      if (!Number.isFinite(r[5]) || r[5] <= 0) f.checked.push(tupleEvent(runId, r, f.texts));
    // the newest TAIL events, as RunEvents (only those: the rest are in the view)
    for (const r of rows.length > TAIL ? rows.slice(-TAIL) : rows) f.tail.push(tupleEvent(runId, r, f.texts));
    if (f.tail.length > 2 * TAIL) f.tail = f.tail.slice(-TAIL);
    // let other requests in between slices of a big log
    await new Promise((r) => setImmediate(r));
  }
  if (f.tail.length > TAIL) f.tail = f.tail.slice(-TAIL);
  trim(c);
  return f;
}
