import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { decodeEvents } from "@/lib/stats/wire";
import { BATCH, backlog, type Batch } from "./backlog";

interface Row {
  id: number;
  runId: string;
  entity: string;
  entityId: string;
  from: string | null;
  to: string;
  at: Date;
  reason: string | null;
  data: string | null;
}

/** Just enough of Prisma for the backlog: event.findMany by run, after an id, in order, limited; counts the reads. */
function fakeDb(rows: Row[]): { db: Db; reads: () => number } {
  let reads = 0;
  const findMany = async (q: { where: { runId: string; id: { gt: number } }; take: number }) => {
    reads += 1;
    return rows.filter((r) => r.runId === q.where.runId && r.id > q.where.id.gt).slice(0, q.take);
  };
  return { db: { event: { findMany } } as unknown as Db, reads: () => reads };
}

const row = (id: number, runId = "run-a"): Row => ({
  id,
  runId,
  entity: "task",
  entityId: `Stage_1_${Math.floor(id / 6)}`,
  from: null,
  to: "NEW",
  at: new Date(1_700_000_000_000 + id),
  reason: null,
  data: JSON.stringify({ attempt: 0 }),
});

async function all(it: AsyncGenerator<Batch>): Promise<{ batches: Batch[]; seqs: number[] }> {
  const batches: Batch[] = [];
  for await (const b of it) batches.push(b);
  const seqs = batches.flatMap((b) => {
    const d = decodeEvents(JSON.parse(b.text));
    return d.ok ? d.events.map((e) => e.seq) : [];
  });
  return { batches, seqs };
}

describe("the event stream's backlog", () => {
  it("sends every event once, in batches, the last one done; a second stream from the start reads only past the cached full batches", async () => {
    const rows = Array.from({ length: 2 * BATCH + 7 }, (_, i) => row(i + 1));
    const f = fakeDb(rows);
    const first = await all(backlog(f.db, "run-a", 0));
    expect(first.batches.map((b) => b.done)).toEqual([false, false, true]);
    expect(first.seqs).toEqual(rows.map((r) => r.id));
    expect(f.reads()).toBe(3);

    rows.push(row(2 * BATCH + 8)); // the log grows meanwhile
    const second = await all(backlog(f.db, "run-a", 0));
    expect(second.seqs).toEqual(rows.map((r) => r.id));
    expect(second.batches.at(-1)?.done).toBe(true);
    expect(f.reads()).toBe(4);
  });

  it("resumes after Last-Event-ID without the cache, and an empty log is one empty, done batch", async () => {
    const f = fakeDb(Array.from({ length: 20 }, (_, i) => row(i + 1, "run-b")));
    const resumed = await all(backlog(f.db, "run-b", 15));
    expect(resumed.seqs).toEqual([16, 17, 18, 19, 20]);
    expect(resumed.batches.map((b) => [b.lastSeq, b.done])).toEqual([[20, true]]);
    const empty = await all(backlog(fakeDb([]).db, "run-c", 0));
    expect(empty.batches.map((b) => [b.lastSeq, b.done])).toEqual([[null, true]]);
    expect(empty.seqs).toEqual([]);
  });
});
