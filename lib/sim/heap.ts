/**
 * The simulator's future: a binary min-heap of (time, sequence) keys with a small payload. Ties
 * in time are broken by insertion order, so a seed gives one event order and one result.
 * Parallel typed arrays, not objects: a 2,048-task run pushes tens of thousands of entries and
 * Monte Carlo repeats it a thousand times.
 */
export class EventHeap {
  private t = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private n = 0;
  private next = 0;

  get size(): number {
    return this.n;
  }

  push(time: number, kind: number, a: number, b: number): void {
    if (this.n === this.t.length) this.grow();
    let i = this.n++;
    const s = this.next++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.t[p]! < time || (this.t[p] === time && this.seq[p]! < s)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, time, s, kind, a, b);
  }

  /** Removes the earliest entry into `out` (time, kind, a, b); false when empty. */
  pop(out: { time: number; kind: number; a: number; b: number }): boolean {
    if (this.n === 0) return false;
    out.time = this.t[0]!;
    out.kind = this.kind[0]!;
    out.a = this.a[0]!;
    out.b = this.b[0]!;
    const last = --this.n;
    if (last === 0) return true;
    const time = this.t[last]!;
    const s = this.seq[last]!;
    const k = this.kind[last]!;
    const a = this.a[last]!;
    const b = this.b[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (
        c + 1 < last &&
        (this.t[c + 1]! < this.t[c]! || (this.t[c + 1] === this.t[c] && this.seq[c + 1]! < this.seq[c]!))
      )
        c += 1;
      if (time < this.t[c]! || (time === this.t[c] && s < this.seq[c]!)) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, time, s, k, a, b);
    return true;
  }

  private set(i: number, time: number, s: number, k: number, a: number, b: number): void {
    this.t[i] = time;
    this.seq[i] = s;
    this.kind[i] = k;
    this.a[i] = a;
    this.b[i] = b;
  }

  private move(from: number, to: number): void {
    this.set(to, this.t[from]!, this.seq[from]!, this.kind[from]!, this.a[from]!, this.b[from]!);
  }

  private grow(): void {
    const n = this.t.length * 2;
    const g = <T extends Float64Array | Uint8Array | Int32Array>(x: T, make: (n: number) => T): T => {
      const y = make(n);
      y.set(x);
      return y;
    };
    this.t = g(this.t, (k) => new Float64Array(k));
    this.seq = g(this.seq, (k) => new Float64Array(k));
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.a = g(this.a, (k) => new Int32Array(k));
    this.b = g(this.b, (k) => new Int32Array(k));
  }
}
