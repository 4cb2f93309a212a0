import type { HistogramBin } from "@/lib/skeleton/histogram";

export interface HistogramRow {
  label: string;
  count: number;
}

/**
 * The preview's histogram rows as a person reads them: bins whose ends print the same (sizes drawn
 * from `normal [1048576, 1]` span a byte or two, so eight bins all read "1024.0 KB") are merged
 * into one row, and a bin whose two ends print the same shows one number instead of "a–a".
 */
export function histogramRows(bins: readonly HistogramBin[], fmt: (v: number) => string): HistogramRow[] {
  const rows: { from: string; to: string; count: number }[] = [];
  for (const b of bins) {
    const from = fmt(b.from);
    const to = fmt(b.to);
    const last = rows[rows.length - 1];
    // a bin that prints inside the previous row's last value belongs to it
    if (last && last.to === from && from === to) last.count += b.count;
    else if (last && last.from === last.to && last.to === from) {
      last.to = to;
      last.count += b.count;
    } else rows.push({ from, to, count: b.count });
  }
  return rows.map((r) => ({ label: r.from === r.to ? r.from : `${r.from}–${r.to}`, count: r.count }));
}
