import { describe, expect, it } from "vitest";
import { seededRng } from "./rng";

describe("seeded rng", () => {
  it("repeats for a seed, differs across seeds and labels, and stays in [0, 1)", () => {
    const xs = Array.from({ length: 1000 }, seededRng(42));
    const again = seededRng(42);
    expect(Array.from({ length: 1000 }, () => again())).toEqual(xs);
    expect(seededRng(43)()).not.toBe(xs[0]);
    expect(seededRng(42, "Stage_1/Task_Length")()).not.toBe(xs[0]);
    expect(seededRng(1)()).not.toBe(seededRng(2 ** 32 + 1)());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
