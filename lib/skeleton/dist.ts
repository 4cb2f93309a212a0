import { MAX_FLOPS, MAX_LENGTH, MAX_SIZE_BYTES } from "./limits";
import { leadingNumber } from "./py-format";
import type { Dist, RandomKind } from "./types";

/**
 * The value grammar of Task_Length, Input_i.Size and Output_j.Size, as the original matched it:
 * `(\w+) (.+)` (one space after the name), then per kind:
 * - uniform V: V is copied verbatim into every task (a constant), units like `10s` included;
 * - normal|gauss|lognorm|triangular `[a, b]unit`: exactly ", " between two unsigned numbers,
 *   an optional unit glued to the bracket; triangular reads [low, high];
 * - polynomial `[a, b] Input_k` (or `Length` for output sizes): int(a · x^b), integers a and b.
 * The original matched with `re.match` (anchored at the start only), so text after a valid
 * value was ignored; it is reported back as `ignored` so that the caller can warn.
 */
export type DistContext = "length" | "inputSize" | "outputSize";

/** `note`: a value that is accepted but will not be used as written (a negative constant length) */
export type DistParse = { ok: true; dist: Dist; ignored: string; note?: string } | { ok: false; message: string; expected: string };

/** The largest value a field may hold: bytes for sizes, seconds or FLOPs for lengths. */
export function distLimit(ctx: DistContext, mode: string | null = null): number {
  if (ctx !== "length") return MAX_SIZE_BYTES;
  return mode === "flops" ? MAX_FLOPS : MAX_LENGTH;
}

const what = (ctx: DistContext) => (ctx === "length" ? "a task length" : "a file size");

/**
 * Values the original passed on as written, however absurd: `uniform -1048576` became
 * `dd bs='-1048576'`, `uniform 1e308` a file nobody can write. Constants are checked here;
 * random draws and polynomials, whose values exist only per task, when they are drawn.
 */
function checkRange(d: Dist, ctx: DistContext, max: number): DistParse | { note?: string } {
  const limit = `${what(ctx)} may be at most ${max.toLocaleString("en")}${ctx === "length" ? "" : " bytes"}`;
  if (d.kind === "uniform") {
    if (!Number.isFinite(d.value) || Math.abs(d.value) > max) return fail(`uniform ${d.text} is out of range: ${limit}`, "uniform V");
    if (d.value < 0 && ctx !== "length") return fail(`uniform ${d.text}: ${what(ctx)} cannot be negative (the setup script would run \`dd bs='${d.text}'\`)`, "uniform V (V ≥ 0)");
    if (d.value < 0) return { note: `uniform ${d.text}: a negative task length is taken as 0` };
    return {};
  }
  if (d.kind === "polynomial") {
    if (d.a > max || d.b > 64) return fail(`polynomial ${d.text} is out of range: the factor may be at most ${max.toLocaleString("en")} and the power at most 64`, "polynomial [a, b] …");
    return {};
  }
  // lognorm's parameters are those of the underlying normal: its median is e^mu
  const centre = d.kind === "lognorm" ? Math.exp(d.a) : d.a;
  const spread = d.kind === "lognorm" ? 0 : d.b;
  if (!Number.isFinite(centre) || centre > max || spread > max || (d.kind === "lognorm" && d.b > 100)) return fail(`${d.kind} ${d.text} is out of range: ${limit}`, `${d.kind} [a, b]`);
  return {};
}

/** parseDist and the range of its value (see distLimit). */
export function parseDistIn(value: string, ctx: DistContext, max: number = distLimit(ctx)): DistParse {
  const d = parseDist(value, ctx);
  if (!d.ok) return d;
  const r = checkRange(d.dist, ctx, max);
  if ("ok" in r) return r;
  return r.note ? { ...d, note: r.note } : d;
}

const RANDOM: readonly string[] = ["normal", "gauss", "lognorm", "triangular"] satisfies RandomKind[];
const PAIR = /^\[(\d+(?:\.\d+)?), (\d+(?:\.\d+)?)\](\w*)/;
const POLY = /^\[(\d+), (\d+)\]\s*(\w*)/;
const UNIFORM = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\w*$/;

export const DIST_EXPECTED: Record<DistContext, string> = {
  length: "uniform V | normal [avg, stdev] | gauss [avg, stdev] | lognorm [mu, sigma] | triangular [low, high] | polynomial [a, b] Input_k",
  inputSize: "uniform V | normal [avg, stdev] | gauss [avg, stdev] | lognorm [mu, sigma] | triangular [low, high]",
  outputSize: "uniform V | normal [avg, stdev] | gauss [avg, stdev] | lognorm [mu, sigma] | triangular [low, high] | polynomial [a, b] Input_k | polynomial [a, b] Length",
};

const fail = (message: string, expected: string): DistParse => ({ ok: false, message, expected });

function pairHint(kind: string, params: string): string {
  if (/^\[\s*-/.test(params) || /,\s*-/.test(params)) return `${kind} takes two unsigned numbers (got \`${params}\`)`;
  if (/^\[[^\]]*,(\S|\s{2,})/.test(params)) return `${kind} needs exactly one ", " between the two numbers (got \`${params}\`)`;
  return `${kind} needs \`[a, b]\` with two numbers, optionally followed by a unit such as \`s\` (got \`${params}\`)`;
}

function parsePolynomial(params: string, ctx: DistContext): DistParse {
  if (ctx === "inputSize") return fail("an input size cannot be a polynomial: the original accepted only uniform, normal, gauss, lognorm and triangular here", DIST_EXPECTED.inputSize);
  const expected = ctx === "length" ? "polynomial [a, b] Input_k" : "polynomial [a, b] Input_k | polynomial [a, b] Length";
  const p = POLY.exec(params);
  if (!p) return fail(`polynomial needs \`[a, b]\` with two whole numbers and exactly ", " between them (got \`${params}\`)`, expected);
  const [, a, b, src] = p as unknown as [string, string, string, string];
  const input = /^Input_(\d+)$/.exec(src);
  let of: { input: number } | "length";
  if (input) {
    if (Number(input[1]) < 1) return fail("inputs are numbered from 1 (`Input_1` is the first)", expected);
    of = { input: Number(input[1]) };
  } else if (src === "Length" && ctx === "outputSize") of = "length";
  else if (src === "Length") return fail("Task_Length cannot be a polynomial of its own length", expected);
  else return fail(`a polynomial is a function of \`Input_k\`${ctx === "outputSize" ? " or `Length`" : ""} (got \`${src || "nothing"}\`)`, expected);
  return { ok: true, dist: { kind: "polynomial", text: params, a: Number(a), b: Number(b), of }, ignored: params.slice(p[0].length).trim() };
}

export function parseDist(value: string, ctx: DistContext): DistParse {
  const m = /^(\w+) (.+)$/.exec(value);
  if (!m) return fail(`\`${value}\` is not a distribution: write its name, one space, and its parameters`, DIST_EXPECTED[ctx]);
  const [, kind, params] = m as unknown as [string, string, string];
  if (kind === "uniform") {
    if (!UNIFORM.test(params)) return fail(`uniform takes one number, optionally with a unit such as \`10s\` or \`1048576B\` (got \`${params}\`)`, "uniform V");
    return { ok: true, dist: { kind, text: params, value: leadingNumber(params) }, ignored: "" };
  }
  if (RANDOM.includes(kind)) {
    const p = PAIR.exec(params);
    if (!p) return fail(pairHint(kind, params), `${kind} [a, b]`);
    return { ok: true, dist: { kind: kind as RandomKind, text: params, a: Number(p[1]), b: Number(p[2]), unit: p[3] ?? "" }, ignored: params.slice(p[0].length).trim() };
  }
  if (kind === "polynomial") return parsePolynomial(params, ctx);
  const lower = kind.toLowerCase();
  const hint = lower !== kind && (lower === "uniform" || lower === "polynomial" || RANDOM.includes(lower)) ? ` (names are lower case: \`${lower}\`)` : "";
  return fail(`unknown distribution \`${kind}\`${hint}`, DIST_EXPECTED[ctx]);
}

/** The distribution as the file writes it, e.g. `normal [10, 2]s`. */
export function distText(d: Dist): string {
  return `${d.kind} ${d.text}`;
}
