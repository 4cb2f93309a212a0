/**
 * The simulator's wait queue of ready tasks (task indices), kept in the engine's order (`rank`):
 * appending is the common case, a requeued task is inserted at its place. Taking a task only
 * marks it; the front is trimmed as it empties and the array compacted now and then, so a run of
 * n tasks costs O(n) here, not O(n²).
 */
export class WaitQueue {
  private items: number[] = [];
  private head = 0;
  private readonly member: Uint8Array;
  private count = 0;
  private lengthSum = 0;

  /** `lengths`: each task's length, for the mean over the queue (the engine's prefetch reads it) */
  constructor(
    private readonly rank: Int32Array,
    private readonly lengths: Float64Array,
  ) {
    this.member = new Uint8Array(rank.length);
  }

  /** Mean length of the queued tasks; 1 when the queue is empty, as the engine's `capacities` says. */
  meanLength(): number {
    return this.count > 0 ? this.lengthSum / this.count : 1;
  }

  has(i: number): boolean {
    return this.member[i] === 1;
  }

  add(i: number): void {
    if (this.member[i]) return;
    this.member[i] = 1;
    this.count++;
    this.lengthSum += this.lengths[i]!;
    const r = this.rank[i]!;
    const xs = this.items;
    if (xs.length === 0 || this.rank[xs[xs.length - 1]!]! < r) {
      xs.push(i);
      return;
    }
    let lo = this.head;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rank[xs[mid]!]! < r) lo = mid + 1;
      else hi = mid;
    }
    xs.splice(lo, 0, i);
  }

  take(i: number): void {
    if (!this.member[i]) return;
    this.member[i] = 0;
    this.count--;
    // exact again when the queue empties (no drift from adding and subtracting many lengths)
    this.lengthSum = this.count > 0 ? this.lengthSum - this.lengths[i]! : 0;
  }

  /** Visits the queued tasks in order while `visit` returns true; returns how many it passed over (left queued). */
  scan(visit: (i: number) => boolean): number {
    let passed = 0;
    for (let q = this.head; q < this.items.length; q++) {
      const i = this.items[q]!;
      if (!this.member[i]) continue;
      if (!visit(i)) break;
      if (this.member[i]) passed++;
    }
    this.tidy(passed);
    return passed;
  }

  private tidy(passed: number): void {
    while (this.head < this.items.length && !this.member[this.items[this.head]!]) this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    // many tasks passed over (too wide for now) with taken ones between them: drop the taken
    if (passed > 64 && passed * 4 < this.items.length - this.head) {
      this.items = this.items.slice(this.head).filter((i) => this.member[i]);
      this.head = 0;
    }
  }
}
