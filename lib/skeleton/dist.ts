import type { Dist } from "./types";

/**
 * Distribution values (`Task_Length = normal [10, 2]s`): the grammar of the original
 * (`(\w+) (.+)`, `[a, b]` with exactly ", " between the numbers, an optional unit suffix),
 * and seeded draws. `uniform` is a constant: its text is kept verbatim.
 */
const NUM = String.raw`(\d+(?:\.\d+)?)`;
const PAIR = new RegExp(String.raw`^\[${NUM}, ${NUM}\](\w*)$`);
const POLY = new RegExp(String.raw`^\[${NUM},\s*${NUM}\]\s+(Input_(\d+)|Length)$`);
const RANDOM = ["normal", "gauss", "lognorm", "triangular"] as const;

export type DistParse = { ok: true; dist: Dist } | { ok: false; message: string; expected: string };

export function parseDist(value: string, allowLength: boolean, allowPolynomial: boolean): DistParse {
  const m = /^(\w+) (.+)$/.exec(value);
  const expected = "`uniform V`, `normal [avg, stdev]`, `gauss [avg, stdev]`, `lognorm [mu, sigma]`, `triangular [low, high]` or `polynomial [a, b] Input_k`";
  if (!m) return { ok: false, message: `\`${value}\` is not a distribution`, expected };
  const [, kind, params] = m as unknown as [string, string, string];
  if (kind === "uniform") return { ok: true, dist: { kind, text: params } };
  if ((RANDOM as readonly string[]).includes(kind)) {
    const p = PAIR.exec(params);
    if (!p) return { ok: false, message: `${kind} needs \`[a, b]\` with ", " between two numbers (got \`${params}\`)`, expected: `${kind} [a, b]` };
    return { ok: true, dist: { kind: kind as (typeof RANDOM)[number], a: Number(p[1]), b: Number(p[2]), unit: p[3] ?? "", text: params } };
  }
  if (kind === "polynomial") {
    if (!allowPolynomial) return { ok: false, message: "a polynomial needs something to be a polynomial of", expected };
    const p = POLY.exec(params);
    if (!p) return { ok: false, message: `polynomial needs \`[a, b] Input_k\`${allowLength ? " or `[a, b] Length`" : ""} (got \`${params}\`)`, expected: "polynomial [a, b] Input_k" };
    if (p[3] === "Length" && !allowLength) return { ok: false, message: "Task_Length cannot be a polynomial of its own length", expected: "polynomial [a, b] Input_k" };
    const of = p[3] === "Length" ? ("length" as const) : { input: Number(p[4]) };
    return { ok: true, dist: { kind, a: Number(p[1]), b: Number(p[2]), of, text: params } };
  }
  return { ok: false, message: `unknown distribution \`${kind}\``, expected };
}

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

function normal(rng: Rng, mu: number, sigma: number): number {
  // Box–Muller; 1 - u keeps log() away from 0
  const u = 1 - rng();
  const v = rng();
  return mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function triangular(rng: Rng, low: number, high: number): number {
  const mode = (low + high) / 2;
  const u = rng();
  const c = (mode - low) / (high - low || 1);
  return u < c ? low + Math.sqrt(u * (high - low) * (mode - low)) : high - Math.sqrt((1 - u) * (high - low) * (high - mode));
}

/**
 * One draw, as the original printed it ("%.2f" + unit for random kinds, the verbatim text for
 * uniform, an integer string for polynomials). Negative draws are clamped to 0 (as the 2017
 * library did) and reported through `onClamp`.
 */
export function draw(d: Dist, rng: Rng, ctx: { inputSize?: (k: number) => number; length?: () => number }, onClamp: (v: number) => void): string {
  switch (d.kind) {
    case "uniform":
      return d.text;
    case "polynomial": {
      const x = d.of === "length" ? (ctx.length?.() ?? 0) : (ctx.inputSize?.(d.of.input) ?? 0);
      return String(Math.trunc(d.a * x ** d.b));
    }
    default: {
      let v = d.kind === "lognorm" ? Math.exp(normal(rng, d.a, d.b)) : d.kind === "triangular" ? triangular(rng, d.a, d.b) : normal(rng, d.a, d.b);
      if (v < 0) {
        onClamp(v);
        v = 0;
      }
      return v.toFixed(2) + d.unit;
    }
  }
}

/** The number a drawn string stands for ("10s" → 10, "1048576B" → 1048576). */
export function numeric(text: string): number {
  const v = Number.parseFloat(text);
  return Number.isFinite(v) ? v : 0;
}
