import { z } from "zod";
import type { EventEntity, RunEvent } from "../model/event";

/**
 * The compact, columnar form in which the run page's event stream sends the backlog (the
 * snapshot of a run's log). A 10,000-task run has 60,000 events: as an array of objects that
 * is 11.5 MB of JSON, mostly the same keys, run id, state names and `data` objects repeated;
 * columns with dictionaries make it a fraction of that, and JSON.parse and zod then see long
 * arrays of small numbers instead of 60,000 objects. Decoding yields ordinary RunEvents.
 */
export interface EventChunk {
  v: 1;
  runId: string;
  /** true when this chunk reached the end of the log as it stood when read */
  done: boolean;
  /** seq of the first event, then differences (mostly 1) */
  seq: number[];
  /** `at` of the first event (ms), then differences */
  at: number[];
  /** one character per event: r(un), p(ilot), t(ask) */
  entity: string;
  ids: string[];
  /** index into `ids` */
  id: number[];
  states: string[];
  /** index into `states`; -1 for null */
  from: number[];
  to: number[];
  /** [event index, reason]: reasons are rare */
  reason: [number, string][];
  /** distinct `data` objects (most repeat: `{ attempt: 0 }` and the like) */
  data: Record<string, unknown>[];
  /** index into `data`; -1 for null */
  di: number[];
}

// The long columns are checked by one plain loop each: zod's per-element schemas cost ~200 ms
// on the 360,000 numbers of a 10,000-task snapshot, most of the time it takes to decode it.
const column = (ok: (x: unknown) => boolean, what: string) =>
  z.custom<number[]>((v) => Array.isArray(v) && v.every(ok), { message: `expected an array of ${what}` });
const ints = column(Number.isInteger, "integers");
const ZChunk = z.object({
  v: z.literal(1),
  runId: z.string(),
  done: z.boolean(),
  seq: ints,
  at: column(Number.isFinite, "numbers"),
  entity: z.string().regex(/^[rpt]*$/),
  ids: z.array(z.string()),
  id: ints,
  states: z.array(z.string()),
  from: ints,
  to: ints,
  reason: z.array(z.tuple([z.number().int(), z.string()])),
  data: z.custom<Record<string, unknown>[]>(
    (v) => Array.isArray(v) && v.every((d) => d !== null && typeof d === "object" && !Array.isArray(d)),
    { message: "expected an array of objects" },
  ),
  di: ints,
});

/** A plain RunEvent, as the live deltas and the polling fallback send them. */
const ZRunEvent = z.object({
  seq: z.number().int(),
  runId: z.string(),
  entity: z.enum(["run", "pilot", "task"]),
  entityId: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  at: z.number(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export const ZEventList = z.array(ZRunEvent);

const ENTITY: Record<string, EventEntity> = { r: "run", p: "pilot", t: "task" };

/** The row fields the encoder needs: `data` still as the JSON text the database keeps. */
export interface EventRowLike {
  seq: number;
  entity: string;
  entityId: string;
  from: string | null;
  to: string;
  at: number;
  reason: string | null;
  /** JSON text of an object, or null */
  data: string | null;
}

/** Dictionary coder: the index of a value, adding it on first sight. */
function coder<K>(): { list: K[]; index: (k: K) => number } {
  const list: K[] = [];
  const map = new Map<K, number>();
  return {
    list,
    index: (k) => {
      let i = map.get(k);
      if (i === undefined) {
        i = list.length;
        list.push(k);
        map.set(k, i);
      }
      return i;
    },
  };
}

export function encodeEvents(runId: string, rows: readonly EventRowLike[], done: boolean): EventChunk {
  const ids = coder<string>();
  const states = coder<string>();
  const texts = coder<string>();
  const c: EventChunk = {
    v: 1,
    runId,
    done,
    seq: [],
    at: [],
    entity: "",
    ids: ids.list,
    id: [],
    states: states.list,
    from: [],
    to: [],
    reason: [],
    data: [],
    di: [],
  };
  let entity = "";
  let seq = 0;
  let at = 0;
  rows.forEach((r, i) => {
    c.seq.push(r.seq - seq);
    c.at.push(r.at - at);
    seq = r.seq;
    at = r.at;
    entity += r.entity === "run" ? "r" : r.entity === "pilot" ? "p" : "t";
    c.id.push(ids.index(r.entityId));
    c.from.push(r.from === null ? -1 : states.index(r.from));
    c.to.push(states.index(r.to));
    if (r.reason !== null) c.reason.push([i, r.reason]);
    c.di.push(r.data === null ? -1 : texts.index(r.data));
  });
  c.entity = entity;
  // each distinct text parsed once: the chunk carries objects, so the page parses it in one pass
  c.data = texts.list.map((t) => {
    const o: unknown = JSON.parse(t);
    return o !== null && typeof o === "object" && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
  });
  return c;
}

export type DecodedChunk = { ok: true; done: boolean; events: RunEvent[] } | { ok: false; error: string };

/** Checks a received chunk (it crosses the network) and expands it to RunEvents. */
export function decodeEvents(raw: unknown): DecodedChunk {
  const p = ZChunk.safeParse(raw);
  if (!p.success) return { ok: false, error: p.error.message };
  const c = p.data;
  const n = c.seq.length;
  if ([c.at, c.id, c.from, c.to, c.di].some((a) => a.length !== n) || c.entity.length !== n)
    return { ok: false, error: "columns of different lengths" };
  // identical `data` objects are shared between events: frozen, so no reader can change them for all
  for (const d of c.data) Object.freeze(d);
  const reasons = new Map(c.reason);
  const events: RunEvent[] = new Array<RunEvent>(n);
  let seq = 0;
  let at = 0;
  for (let i = 0; i < n; i++) {
    seq += c.seq[i]!;
    at += c.at[i]!;
    const from = c.from[i]!;
    const di = c.di[i]!;
    const entityId = c.ids[c.id[i]!];
    const to = c.states[c.to[i]!];
    if (
      entityId === undefined ||
      to === undefined ||
      (from >= 0 && c.states[from] === undefined) ||
      (di >= 0 && c.data[di] === undefined)
    )
      return { ok: false, error: `event ${i}: index out of range` };
    events[i] = {
      seq,
      runId: c.runId,
      entity: ENTITY[c.entity[i]!]!,
      entityId,
      from: from < 0 ? null : c.states[from]!,
      to,
      at,
      reason: reasons.get(i) ?? null,
      data: di < 0 ? null : c.data[di]!,
    };
  }
  return { ok: true, done: c.done, events };
}
