import { describe, expect, it } from "vitest";
import { collectGarbage } from "./collect";

describe("collectGarbage", () => {
  it("frees what is no longer referenced, at once", () => {
    collectGarbage();
    const base = process.memoryUsage().heapUsed;
    let junk: { i: number; s: string }[] | null = Array.from({ length: 1_000_000 }, (_, i) => ({
      i,
      s: `x${i}`,
    }));
    expect(process.memoryUsage().heapUsed - base).toBeGreaterThan(40 * 2 ** 20);
    junk = null;
    collectGarbage();
    expect(junk).toBeNull();
    expect(process.memoryUsage().heapUsed - base).toBeLessThan(10 * 2 ** 20);
  });
});
