import { describe, expect, it } from "vitest";
import { histogram } from "@/lib/skeleton/histogram";
import { histogramRows } from "./histogram-rows";

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

describe("histogramRows", () => {
  it("a size that only looks constant (normal [1048576, 1]) is one row with one label", () => {
    const sizes = [1048575.2, 1048576, 1048576.4, 1048577.1, 1048575.9, 1048576.8];
    expect(histogramRows(histogram(sizes), kb)).toEqual([{ label: "1024.0 KB", count: 6 }]);
  });

  it("a truly constant size is one row with one label", () => {
    expect(histogramRows(histogram([20000, 20000, 20000]), kb)).toEqual([{ label: "19.5 KB", count: 3 }]);
  });

  it("a real spread keeps its bins and their ranges", () => {
    const rows = histogramRows(histogram([0, 10, 20, 30, 40, 50, 60, 70, 80], 4), (v) => v.toFixed(0));
    expect(rows).toEqual([
      { label: "0–20", count: 2 },
      { label: "20–40", count: 2 },
      { label: "40–60", count: 2 },
      { label: "60–80", count: 3 },
    ]);
  });
});
