import type { Db } from "@/lib/db/client";
import { scanEventRows } from "@/lib/db/event-scan";
import type { RunEvent } from "@/lib/model/event";
import { emptyView, foldRows, tupleEvent, type DataTexts, type RunView } from "@/lib/stats/fold";
import { encodeSnapshot } from "@/lib/stats/snapshot";

/**
 * The opening message of the run page's event stream: the run folded on the server
 * (lib/stats/snapshot.ts) with the newest TAIL events for the event log. Folding a 100,000-task
 * log (900,000 events) takes seconds, and the log only grows, so each run's folded view is kept
 * and brought up to date with the events written since: a reload, a second viewer or a live run's
 * next visitor folds only what is new. Finished runs also keep their encoded text. Bounded by the
 * number of tasks kept (the views are the big part: ~1 kB per task with its history).
 */
const TAIL = 5_000;
const MAX_TASKS = 250_000;

interface Folded {
  view: RunView;
  texts: DataTexts;
  lastSeq: number;
  tail: RunEvent[];
  /** the encoded snapshot at `lastSeq`, once asked for */
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
  let total = 0;
  for (const e of c.values()) total += e.view.tasks.size;
  for (const [k, e] of c) {
    if (total <= MAX_TASKS || c.size === 1) break;
    c.delete(k);
    total -= e.view.tasks.size;
  }
}

/** A lock per run: two viewers opening the same run at once fold it once. */
const pending = new Map<string, Promise<unknown>>();

export async function snapshot(
  db: Db,
  url: string,
  runId: string,
): Promise<{ text: string; lastSeq: number }> {
  const before = pending.get(runId);
  const p = (async () => {
    await before?.catch(() => undefined);
    return bringUpToDate(db, url, runId);
  })();
  pending.set(runId, p);
  try {
    return await p;
  } finally {
    if (pending.get(runId) === p) pending.delete(runId);
  }
}

async function bringUpToDate(db: Db, url: string, runId: string): Promise<{ text: string; lastSeq: number }> {
  const c = cache();
  const f: Folded = c.get(runId) ?? {
    view: emptyView(),
    texts: new Map(),
    lastSeq: 0,
    tail: [],
    text: null,
    textSeq: -1,
  };
  c.delete(runId);
  c.set(runId, f);
  for await (const rows of scanEventRows(db, url, runId, f.lastSeq)) {
    foldRows(f.view, runId, rows, f.texts);
    f.lastSeq = rows[rows.length - 1]![0];
    // the newest TAIL events, as RunEvents (only those: the rest are in the view)
    for (const r of rows.length > TAIL ? rows.slice(-TAIL) : rows) f.tail.push(tupleEvent(runId, r, f.texts));
    if (f.tail.length > 2 * TAIL) f.tail = f.tail.slice(-TAIL);
    // let other requests in between slices of a big log
    await new Promise((r) => setImmediate(r));
  }
  if (f.tail.length > TAIL) f.tail = f.tail.slice(-TAIL);
  trim(c);
  if (f.textSeq !== f.lastSeq) {
    f.text = JSON.stringify(encodeSnapshot(runId, f.view, f.lastSeq, f.tail));
    f.textSeq = f.lastSeq;
  }
  return { text: f.text!, lastSeq: f.lastSeq };
}
