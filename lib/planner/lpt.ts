/**
 * Longest-processing-time-first list scheduling: the makespan of `tasks` (seconds, with
 * `cores` per task) on `slots` cores. A cheap, good estimate of how long a stage takes on a
 * pilot (within 4/3 of optimal for single-core tasks). Tasks wider than the pilot → Infinity.
 * A binary min-heap of core free times: O(n · cores-per-task · log slots). (Wide tasks used to
 * sort every core per task, which at 100,000 two-core tasks on 200,000 cores never finished.)
 */
export function lptMakespan(tasks: readonly { length: number; cores: number }[], slots: number): number {
  if (tasks.length === 0) return 0;
  if (slots < 1 || !Number.isFinite(slots)) return Infinity;
  const sorted = [...tasks].sort((a, b) => b.length - a.length);
  const heap = new Float64Array(slots); // all zero: a valid min-heap
  const taken: number[] = [];
  let makespan = 0;
  for (const t of sorted) {
    if (t.cores > slots) return Infinity;
    if (t.cores <= 1) {
      const end = heap[0]! + t.length;
      heap[0] = end;
      siftDown(heap, 0, slots);
      if (end > makespan) makespan = end;
      continue;
    }
    // a wide task waits for its `cores` earliest-free cores: take them off the heap, the last
    // one taken is when all of them are free, then put them back busy until the task ends
    let size = slots;
    taken.length = 0;
    for (let k = 0; k < t.cores; k++) {
      taken.push(heap[0]!);
      size -= 1;
      heap[0] = heap[size]!;
      siftDown(heap, 0, size);
    }
    const end = taken[taken.length - 1]! + t.length;
    for (let k = 0; k < t.cores; k++) {
      heap[size] = end;
      siftUp(heap, size);
      size += 1;
    }
    if (end > makespan) makespan = end;
  }
  return makespan;
}

function siftDown(h: Float64Array, i: number, n: number): void {
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

function siftUp(h: Float64Array, i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (h[parent]! <= h[i]!) return;
    const tmp = h[i]!;
    h[i] = h[parent]!;
    h[parent] = tmp;
    i = parent;
  }
}
