import { describe, expect, it } from "vitest";
import { histogram } from "./histogram";

describe("histogram", () => {
  it("bins values, puts the maximum in the last bin, and collapses a constant", () => {
    expect(histogram([0, 1, 2, 3, 4], 2)).toEqual([
      { from: 0, to: 2, count: 2 },
      { from: 2, to: 4, count: 3 },
    ]);
    expect(histogram([10, 10, 10])).toEqual([{ from: 10, to: 10, count: 3 }]);
    expect(histogram([])).toEqual([]);
    expect(
      histogram(
        Array.from({ length: 300_000 }, (_, i) => i),
        3,
      ).map((b) => b.count),
    ).toEqual([100_000, 100_000, 100_000]);
  });
});
