import { describe, expect, it } from "vitest";
import { seededRng } from "../skeleton/rng";
import { sortedEnds, unionByEnds, unionMeasure } from "./union";

describe("union of intervals", () => {
  it("counts overlaps once, and clips at `from`", () => {
    expect(unionMeasure([0, 5, 20], [10, 12, 30], 3)).toBe(22);
    expect(unionMeasure([0, 5, 20], [10, 12, 30], 3, 6)).toBe(16);
    expect(unionMeasure([3], [1], 1)).toBe(0);
  });

  it("gives the same answer without sorting when the ends are in order", () => {
    const rng = seededRng(4, "union");
    for (let k = 0; k < 50; k++) {
      const n = 1 + Math.floor(rng() * 40);
      const ends = Array.from({ length: n }, () => rng() * 100).sort((a, b) => a - b);
      const starts = ends.map((e) => e - rng() * 20);
      expect(sortedEnds(ends, n)).toBe(true);
      expect(unionByEnds(starts, ends, n)).toBeCloseTo(unionMeasure(starts, ends, n), 9);
      expect(unionByEnds(starts, ends, n, 30)).toBeCloseTo(unionMeasure(starts, ends, n, 30), 9);
    }
    expect(sortedEnds([1, 3, 2], 3)).toBe(false);
  });
});
