import { describe, expect, it } from "vitest";
import { seededRng } from "./rng";
import { drawColumn, randomSampler } from "./sample";

const N = 20_000;
const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs) };
};
const draw = (kind: Parameters<typeof randomSampler>[0], a: number, b: number) => {
  const next = randomSampler(kind, a, b, seededRng(99, kind));
  return Array.from({ length: N }, () => next());
};

describe("draws (CPython's algorithms on a seeded generator)", () => {
  it("normal and gauss have the asked mean and standard deviation", () => {
    for (const kind of ["normal", "gauss"] as const) {
      const s = stats(draw(kind, 10, 2));
      expect(s.mean).toBeCloseTo(10, 1);
      expect(s.sd).toBeCloseTo(2, 1);
    }
  });

  it("lognorm takes the parameters of the underlying normal (median e^mu)", () => {
    const xs = draw("lognorm", 1, 0.5).sort((a, b) => a - b);
    expect(xs[N / 2]!).toBeCloseTo(Math.E, 1);
    expect(xs[0]!).toBeGreaterThan(0);
  });

  it("triangular reads [low, high] with the mode in the middle", () => {
    const s = stats(draw("triangular", 100, 200));
    expect(s.min).toBeGreaterThanOrEqual(100);
    expect(s.max).toBeLessThanOrEqual(200);
    expect(s.mean).toBeCloseTo(150, 0);
  });

  it("prints uniform verbatim and counts clamped and overflowing values", () => {
    const counts = { clamped: 0, overflow: 0 };
    const ctx = () => ({ inputSize: () => "1e300", lengthText: () => "0" });
    expect(
      drawColumn({ kind: "uniform", text: "10s", value: 10 }, 3, seededRng(1), ctx, counts, Number),
    ).toEqual(["10s", "10s", "10s"]);
    expect(
      drawColumn(
        { kind: "polynomial", text: "[2, 2] Input_1", a: 2, b: 2, of: { input: 1 } },
        2,
        seededRng(1),
        ctx,
        counts,
        Number,
      ),
    ).toEqual(["0", "0"]);
    expect(counts.overflow).toBe(2);
  });
});
