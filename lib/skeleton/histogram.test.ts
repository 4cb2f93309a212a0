import { describe, expect, it } from "vitest";
import { histogram } from "./histogram";

describe("histogram", () => {
  it("bins values, puts the maximum in the last bin, and collapses a constant", () => {
    expect(histogram([0, 1, 2, 3, 4], 2).map((b) => b.count)).toEqual([2, 3]);
    expect(histogram([10, 10, 10])).toEqual([{ from: 10, to: 10, count: 3 }]);
    expect(histogram([])).toEqual([]);
  });
});
