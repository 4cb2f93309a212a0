import type { Db } from "../db/client";
import { scanEventRows } from "../db/event-scan";
import type { RunEvent } from "../model/event";
import { emptyView, foldRows, tupleEvent, type DataTexts, type RunView } from "../stats/fold";
import { encodeSnapshot } from "../stats/snapshot";

/**
 * The opening message of the run page's event stream: the run folded on the server
 * (lib/stats/snapshot.ts) with the newest TAIL events for the event log. Folding a 100,000-task
 * log (900,000 events) takes seconds, and the log only grows, so each run's folded view is kept
 * and brought up to date with the events written since: a reload, a second viewer or a live run's
 * next visitor folds only what is new. A finished run keeps its encoded text instead of its view.
 * Bounded by the tasks of the views kept and the bytes of the texts.
 */
const TAIL = 5_000;
const MAX_TASKS = 250_000;
const MAX_TEXT_BYTES = 128 * 2 ** 20;
const FINAL = new Set(["DONE", "FAILED", "CANCELED"]);

/** A run being folded (live), or a final run of which only the encoded text is kept. */
type Folded =
  | { kind: "live"; view: RunView; texts: DataTexts; lastSeq: number; tail: RunEvent[] }
  | { kind: "final"; text: string; lastSeq: number };

const g = globalThis as unknown as { __emanagerSnapshots?: Map<string, Folded> };
function cache(): Map<string, Folded> {
  g.__emanagerSnapshots ??= new Map();
  return g.__emanagerSnapshots;
}

/** Least recently used first (a Map iterates in insertion order); the newest entry always stays. */
function trim(c: Map<string, Folded>): void {
  let tasks = 0;
  let bytes = 0;
  for (const e of c.values())
    if (e.kind === "live") tasks += e.view.tasks.size;
    else bytes += e.text.length;
  for (const [k, e] of c) {
    if ((tasks <= MAX_TASKS && bytes <= MAX_TEXT_BYTES) || c.size === 1) break;
    c.delete(k);
    if (e.kind === "live") tasks -= e.view.tasks.size;
    else bytes -= e.text.length;
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
  let f = c.get(runId);
  c.delete(runId);
  // a final run's log does not grow; should it (an event after the end), it is folded again
  if (f?.kind === "final") {
    const later = await db.event.findFirst({ where: { runId, id: { gt: f.lastSeq } }, select: { id: true } });
    if (!later) {
      c.set(runId, f);
      return f;
    }
    f = undefined;
  }
  const live: Extract<Folded, { kind: "live" }> = f ?? {
    kind: "live",
    view: emptyView(),
    texts: new Map(),
    lastSeq: 0,
    tail: [],
  };
  c.set(runId, live);
  for await (const rows of scanEventRows(db, url, runId, live.lastSeq)) {
    foldRows(live.view, runId, rows, live.texts);
    live.lastSeq = rows[rows.length - 1]![0];
    // the newest TAIL events, as RunEvents (only those: the rest are in the view)
    for (const r of rows.length > TAIL ? rows.slice(-TAIL) : rows)
      live.tail.push(tupleEvent(runId, r, live.texts));
    if (live.tail.length > 2 * TAIL) live.tail = live.tail.slice(-TAIL);
    // let other requests in between slices of a big log
    await new Promise((r) => setImmediate(r));
  }
  if (live.tail.length > TAIL) live.tail = live.tail.slice(-TAIL);
  const text = JSON.stringify(encodeSnapshot(runId, live.view, live.lastSeq, live.tail));
  // a final run keeps only its text (a 100,000-task view is a few hundred MB of objects; its text ~20 MB)
  if (FINAL.has(live.view.runState)) c.set(runId, { kind: "final", text, lastSeq: live.lastSeq });
  trim(c);
  return { text, lastSeq: live.lastSeq };
}
