/**
 * Length of the union of intervals [start_i, end_i], clipped to start no earlier than `from`.
 * Sorting starts and ends separately and sweeping a counter gives the same measure as merging
 * sorted intervals, with two native numeric sorts instead of a comparator sort of pairs: this
 * runs once per simulated run, a thousand times per Monte-Carlo estimate.
 */
export function unionMeasure(starts: ArrayLike<number>, ends: ArrayLike<number>, n: number, from = -Infinity): number {
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
