import type { Db } from "@/lib/db/client";
import { encodeEvents, type EventRowLike } from "@/lib/stats/wire";

/**
 * The backlog of a run's event stream: its events after `afterSeq`, BATCH at a time, encoded
 * (lib/stats/wire.ts) and ready to send, the last batch marked `done`.
 *
 * Reading is most of the server's time (Prisma takes ~0.5 s for a 60,000-event log), and the
 * log is append-only: a full batch of it never changes once written. So full batches from the
 * start of a log are kept, encoded, in a small in-memory LRU cache: a reload, a second viewer or
 * a return to the page reads only what came after them. Bounded by size; nothing is stored for
 * partial batches (the tail of a live run), which are read every time.
 */
export const BATCH = 5_000;
const MAX_CACHE_BYTES = 64 * 2 ** 20;

interface Cached {
  /** encoded full batches, in order, each with the seq of its last event */
  batches: { text: string; lastSeq: number }[];
  bytes: number;
}

const g = globalThis as unknown as { __emanagerBacklog?: Map<string, Cached> };
function cache(): Map<string, Cached> {
  g.__emanagerBacklog ??= new Map();
  return g.__emanagerBacklog;
}

/** Keeps the cache under its size: least recently used runs go first (a Map iterates in insertion order). */
function trim(c: Map<string, Cached>): void {
  let total = 0;
  for (const e of c.values()) total += e.bytes;
  for (const [k, e] of c) {
    if (total <= MAX_CACHE_BYTES) break;
    c.delete(k);
    total -= e.bytes;
  }
}

export interface Batch {
  /** the JSON of one EventChunk */
  text: string;
  /** seq of its last event, or null when it has none */
  lastSeq: number | null;
  done: boolean;
}

export async function* backlog(db: Db, runId: string, afterSeq: number): AsyncGenerator<Batch> {
  const c = cache();
  let after = afterSeq;
  // only a stream from the very start can use (and extend) the cached batches
  let entry: Cached | null = null;
  if (after === 0) {
    entry = c.get(runId) ?? { batches: [], bytes: 0 };
    c.delete(runId);
    c.set(runId, entry);
    for (const b of [...entry.batches]) {
      yield { text: b.text, lastSeq: b.lastSeq, done: false };
      after = b.lastSeq;
    }
  }
  for (;;) {
    const rows = await readEventRows(db, runId, after, BATCH);
    const done = rows.length < BATCH;
    const lastSeq = rows.length > 0 ? rows[rows.length - 1]!.seq : null;
    const text = JSON.stringify(encodeEvents(runId, rows, done));
    if (entry && !done && lastSeq !== null && (entry.batches.at(-1)?.lastSeq ?? 0) === after) {
      entry.batches.push({ text, lastSeq });
      entry.bytes += text.length;
      trim(c);
    }
    yield { text, lastSeq, done };
    if (lastSeq !== null) after = lastSeq;
    if (done) return;
  }
}

/**
 * Up to `limit` events of a run after `afterSeq`, as the wire encoder wants them: `data` stays
 * the JSON text the database holds (the encoder parses each distinct text once, instead of
 * once per row as readEvents does: 60,000 rows share a few hundred distinct texts).
 */
async function readEventRows(
  db: Db,
  runId: string,
  afterSeq: number,
  limit: number,
): Promise<EventRowLike[]> {
  const rows = await db.event.findMany({
    where: { runId, id: { gt: afterSeq } },
    orderBy: { id: "asc" },
    take: limit,
    select: {
      id: true,
      entity: true,
      entityId: true,
      from: true,
      to: true,
      at: true,
      reason: true,
      data: true,
    },
  });
  return rows.map((r) => ({
    seq: r.id,
    entity: r.entity,
    entityId: r.entityId,
    from: r.from,
    to: r.to,
    at: r.at.getTime(),
    reason: r.reason,
    data: r.data,
  }));
}
