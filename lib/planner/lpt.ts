/**
 * Longest-processing-time-first list scheduling: the makespan of `tasks` (seconds, with
 * `cores` per task) on `slots` cores. A cheap, good estimate of how long a stage takes on a
 * pilot (within 4/3 of optimal for single-core tasks). Tasks wider than the pilot → Infinity.
 * Single-core tasks use a binary heap of core free times: O(n log slots).
 */
export function lptMakespan(tasks: readonly { length: number; cores: number }[], slots: number): number {
  if (tasks.length === 0) return 0;
  if (slots < 1 || !Number.isFinite(slots)) return Infinity;
  const sorted = [...tasks].sort((a, b) => b.length - a.length);
  const heap = new Float64Array(slots); // all zero: a valid min-heap
  let makespan = 0;
  for (const t of sorted) {
    if (t.cores > slots) return Infinity;
    if (t.cores <= 1) {
      const end = heap[0]! + t.length;
      heap[0] = end;
      siftDown(heap, 0);
      if (end > makespan) makespan = end;
    } else {
      // a wide task waits for its `cores` earliest-free cores (rare: done the simple way)
      const order = Array.from(heap.keys()).sort((a, b) => heap[a]! - heap[b]!);
      const take = order.slice(0, t.cores);
      const start = heap[take[take.length - 1]!]!;
      for (const i of take) heap[i] = start + t.length;
      heap.sort();
      makespan = Math.max(makespan, start + t.length);
    }
  }
  return makespan;
}

function siftDown(h: Float64Array, i: number): void {
  const n = h.length;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < n && h[l]! < h[m]!) m = l;
    if (r < n && h[r]! < h[m]!) m = r;
    if (m === i) return;
    const tmp = h[i]!;
    h[i] = h[m]!;
    h[m] = tmp;
    i = m;
  }
}
