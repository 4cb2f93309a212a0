import type { Db } from "../db/client";
import { loadTasksIn, type TaskRow } from "./rows";
import type { LiveRuntime } from "./runtime";

/**
 * The wait queue, read in slices. A tick used to read every task of the run (twice) to find the
 * few it could bind, so each tick cost O(tasks) and a run O(tasks²): a 100,000-task run advanced
 * at 11 tasks/s. Now the tick reads only as many waiting tasks as the pilots can take (and the
 * whole queue again only after a task went back to it, or when the hint ran out): O(what moves).
 */

/** After the hint runs out, read the database again at most this often (a task missed by the hint). */
const REREAD_MS = 2_000;

async function readQueue(db: Db, rt: LiveRuntime, now: number): Promise<void> {
  const rows = await db.task.findMany({
    where: { runId: rt.runId, state: "TMGR_SCHEDULING_PENDING" },
    select: { id: true },
  });
  const ids = rows.map((r) => r.id);
  const rank = (id: string) => rt.rank.get(id) ?? Number.MAX_SAFE_INTEGER;
  ids.sort((a, b) => rank(a) - rank(b));
  rt.queue = { ids, head: 0, gone: new Set(), stale: false, readAt: now };
}

/**
 * Calls `take` with slices of the waiting tasks, in binding order, until it says it is full or
 * the queue is exhausted. `take` returns the ids it is done with (bound, failed, or found no
 * longer waiting); the others (not ready yet) stay in the queue, in their place.
 */
export async function eachWaitingSlice(
  db: Db,
  rt: LiveRuntime,
  sliceSize: number,
  take: (waiting: TaskRow[]) => Promise<{ done: Iterable<string>; full: boolean }>,
  nowMs: number,
): Promise<void> {
  if (rt.queue.stale) await readQueue(db, rt, nowMs);
  for (let pass = 0; pass < 2; pass++) {
    const q = rt.queue;
    let i = q.head;
    while (i < q.ids.length) {
      const slice: string[] = [];
      for (; i < q.ids.length && slice.length < sliceSize; i++)
        if (!q.gone.has(q.ids[i]!)) slice.push(q.ids[i]!);
      if (slice.length === 0) break;
      const rows = await loadTasksIn(db, rt.runId, "id", slice, { state: "TMGR_SCHEDULING_PENDING" });
      const found = new Set(rows.map((r) => r.id));
      for (const id of slice) if (!found.has(id)) q.gone.add(id); // moved by a step before this one
      const r = await take(rows);
      for (const id of r.done) q.gone.add(id);
      while (q.head < q.ids.length && q.gone.has(q.ids[q.head]!)) q.gone.delete(q.ids[q.head++]!);
      if (r.full) return;
    }
    // the hint ran out with room left: a task it missed (or one that came back) is read now,
    // but not on every tick
    if (nowMs - q.readAt < REREAD_MS) return;
    await readQueue(db, rt, nowMs);
  }
}
