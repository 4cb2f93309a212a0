import { pyFixed2, pyIntString } from "./py-format";
import type { Rng } from "./rng";
import type { Dist, RandomKind } from "./types";

/**
 * Draws, with the algorithms of CPython's `random` module (only the underlying generator
 * differs), printed as the original printed them: "%.2f" plus the unit for random kinds,
 * the verbatim text for `uniform`, an integer string for polynomials.
 */
const NV_MAGICCONST = (4 * Math.exp(-0.5)) / Math.sqrt(2);

/** `random.normalvariate` (Kinderman and Monahan's ratio method) */
function normalvariate(rng: Rng, mu: number, sigma: number): number {
  for (;;) {
    const u1 = rng();
    const u2 = 1 - rng();
    const z = (NV_MAGICCONST * (u1 - 0.5)) / u2;
    if ((z * z) / 4 <= -Math.log(u2)) return mu + z * sigma;
  }
}

/** `random.gauss` (Box–Muller), keeping the second value for the next call as Python does */
function gaussSampler(rng: Rng): (mu: number, sigma: number) => number {
  let next: number | null = null;
  return (mu, sigma) => {
    let z = next;
    next = null;
    if (z === null) {
      const x2pi = rng() * 2 * Math.PI;
      const g2rad = Math.sqrt(-2 * Math.log(1 - rng()));
      z = Math.cos(x2pi) * g2rad;
      next = Math.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  };
}

/** `random.triangular(low, high)`: the mode at the midpoint */
function triangular(rng: Rng, low: number, high: number): number {
  let u = rng();
  let c = 0.5;
  if (u > c) {
    u = 1 - u;
    c = 1 - c;
    [low, high] = [high, low];
  }
  return low + (high - low) * Math.sqrt(u * c);
}

/** A sampler for one (stage, field) stream: each call is one task's draw. */
export function randomSampler(kind: RandomKind, a: number, b: number, rng: Rng): () => number {
  switch (kind) {
    case "normal":
      return () => normalvariate(rng, a, b);
    case "lognorm":
      return () => Math.exp(normalvariate(rng, a, b));
    case "triangular":
      return () => triangular(rng, a, b);
    case "gauss": {
      const g = gaussSampler(rng);
      return () => g(a, b);
    }
  }
}

export interface DrawContext {
  /** the printed size of input k (1-based) of the task, or undefined if it has none */
  inputSize: (k: number) => string | undefined;
  lengthText: () => string;
}

export interface DrawStats {
  /** negative random draws that were clamped to 0 */
  clamped: number;
  /** values too large for a double (Python raised OverflowError) or above the field's limit; printed as "0" */
  overflow: number;
}

/**
 * Prints `n` values of `d`, one per task. Negative random draws are clamped to 0 (as the
 * 2017 library did) and counted in `stats`.
 */
export function drawColumn(
  d: Dist,
  n: number,
  rng: Rng,
  ctx: (t: number) => DrawContext,
  stats: DrawStats,
  numeric: (s: string) => number,
  max = Infinity,
): string[] {
  const out = new Array<string>(n);
  if (d.kind === "uniform") return out.fill(d.text);
  if (d.kind === "polynomial") {
    for (let t = 0; t < n; t++) {
      const c = ctx(t);
      const x = numeric((d.of === "length" ? c.lengthText() : c.inputSize(d.of.input)) ?? "0");
      const v = d.a * Math.pow(Math.max(0, x), d.b);
      if (Number.isFinite(v) && v <= max) out[t] = pyIntString(v);
      else {
        stats.overflow += 1;
        out[t] = "0";
      }
    }
    return out;
  }
  const next = randomSampler(d.kind, d.a, d.b, rng);
  for (let t = 0; t < n; t++) {
    let v = next();
    if (!Number.isFinite(v) || v > max) {
      stats.overflow += 1;
      v = 0;
    } else if (v < 0) {
      stats.clamped += 1;
      v = 0;
    }
    out[t] = pyFixed2(v) + d.unit;
  }
  return out;
}
