/**
 * Length of the union of intervals [start_i, end_i], clipped to start no earlier than `from`.
 * Sorting starts and ends separately and sweeping a counter gives the same measure as merging
 * sorted intervals, with two native numeric sorts instead of a comparator sort of pairs: this
 * runs once per simulated run, a thousand times per Monte-Carlo estimate.
 */
export function unionMeasure(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  n: number,
  from = -Infinity,
): number {
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.max(starts[i]!, from);
    const b = ends[i]!;
    if (b > a) {
      s[k] = a;
      e[k] = b;
      k++;
    }
  }
  const ss = s.subarray(0, k).sort();
  const es = e.subarray(0, k).sort();
  let i = 0;
  let j = 0;
  let open = 0;
  let prev = 0;
  let total = 0;
  while (j < k) {
    const t = i < k && ss[i]! <= es[j]! ? ss[i]! : es[j]!;
    if (open > 0) total += t - prev;
    prev = t;
    if (i < k && ss[i]! <= es[j]!) {
      open++;
      i++;
    } else {
      open--;
      j++;
    }
  }
  return total;
}

/**
 * The same measure when the intervals are already in order of their ends (the simulator records
 * executions as they end): one backward pass, no sort. Walking from the latest end, an interval
 * that ends before the current block starts can overlap no later-visited one either.
 */
export function unionByEnds(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  n: number,
  from = -Infinity,
): number {
  let total = 0;
  let curS = Infinity;
  let curE = -Infinity;
  for (let i = n - 1; i >= 0; i--) {
    const a = Math.max(starts[i]!, from);
    const b = ends[i]!;
    if (!(b > a)) continue;
    if (b >= curS) curS = Math.min(curS, a);
    else {
      if (curE > curS) total += curE - curS;
      curS = a;
      curE = b;
    }
  }
  if (curE > curS) total += curE - curS;
  return total;
}

/** True when `ends[0..n)` never decreases (then unionByEnds applies). */
export function sortedEnds(ends: ArrayLike<number>, n: number): boolean {
  for (let i = 1; i < n; i++) if (ends[i]! < ends[i - 1]!) return false;
  return true;
}
