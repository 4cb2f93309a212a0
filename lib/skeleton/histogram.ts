export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/**
 * A few equal-width bins over `values`, for the preview's length and size distributions.
 * The last bin includes its upper edge; a constant collapses to one bin. Loops only, so a
 * million values do not hit the argument limit of Math.min(...values).
 */
export function histogram(values: readonly number[], bins = 8): HistogramBin[] {
  if (values.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) return [{ from: lo, to: hi, count: values.length }];
  const n = Math.max(1, Math.floor(bins));
  const w = (hi - lo) / n;
  const out = Array.from({ length: n }, (_, i) => ({
    from: lo + i * w,
    to: i === n - 1 ? hi : lo + (i + 1) * w,
    count: 0,
  }));
  for (const v of values) out[Math.min(n - 1, Math.floor((v - lo) / w))]!.count += 1;
  return out;
}
