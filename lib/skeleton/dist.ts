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
export type DistParse =
  { ok: true; dist: Dist; ignored: string; note?: string } | { ok: false; message: string; expected: string };

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
    if (!Number.isFinite(d.value) || Math.abs(d.value) > max)
      return fail(`uniform ${d.text} is out of range: ${limit}`, `uniform ${Math.min(max, 10)}`);
    if (d.value < 0 && ctx !== "length")
      return fail(
        `uniform ${d.text}: ${what(ctx)} cannot be negative (the setup script would run \`dd bs='${d.text}'\`); write a size in bytes, such as \`uniform 1048576\``,
        "uniform 1048576",
      );
    if (d.value < 0) return { note: `uniform ${d.text}: a negative task length is taken as 0` };
    return {};
  }
  if (d.kind === "polynomial") {
    if (d.a > max || d.b > 64)
      return fail(
        `polynomial ${d.text} is out of range: the factor may be at most ${max.toLocaleString("en")} and the power at most 64, as in ${ex("polynomial")}`,
        EXAMPLE.polynomial!,
      );
    return {};
  }
  // lognorm's parameters are those of the underlying normal: its median is e^mu
  const centre = d.kind === "lognorm" ? Math.exp(d.a) : d.a;
  const spread = d.kind === "lognorm" ? 0 : d.b;
  if (!Number.isFinite(centre) || centre > max || spread > max || (d.kind === "lognorm" && d.b > 100))
    return fail(`${d.kind} ${d.text} is out of range: ${limit}`, EXAMPLE[d.kind]!);
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

/** One valid value of each kind, as a person would write it: what messages show instead of the grammar. */
export const EXAMPLE: Record<string, string> = {
  uniform: "uniform 10",
  normal: "normal [10, 2]",
  gauss: "gauss [10, 2]",
  lognorm: "lognorm [2.3, 0.5]",
  triangular: "triangular [5, 15]",
  polynomial: "polynomial [2, 1] Input_1",
};
const WHAT: Record<string, string> = {
  uniform: "the same value for every task",
  normal: "drawn per task: mean 10, standard deviation 2",
  gauss: "as normal",
  lognorm: "drawn per task: the logarithm has mean 2.3 and standard deviation 0.5",
  triangular: "drawn per task between 5 and 15",
  polynomial: "2 × the size of input 1, per task",
};
const ex = (kind: string) => `\`${EXAMPLE[kind]}\``;

/** The values a field takes, by example (the `expected` of its errors). */
export const DIST_EXPECTED: Record<DistContext, string> = {
  length:
    "`uniform 10`, `normal [10, 2]`, `gauss [10, 2]`, `lognorm [2.3, 0.5]`, `triangular [5, 15]` or `polynomial [2, 1] Input_1`",
  inputSize:
    "`uniform 1048576`, `normal [1048576, 1024]`, `gauss [1048576, 1024]`, `lognorm [13.8, 0.5]` or `triangular [1024, 1048576]`",
  outputSize:
    "`uniform 1048576`, `normal [1048576, 1024]`, `lognorm [13.8, 0.5]`, `triangular [1024, 1048576]`, `polynomial [2, 1] Input_1` or `polynomial [1000, 1] Length`",
};
/** A short list of valid values for a message, with what they mean: lengths in seconds, sizes in bytes. */
const choices = (ctx: DistContext) =>
  ctx === "length"
    ? `${ex("uniform")} (${WHAT.uniform}), ${ex("normal")} (${WHAT.normal}), ${ex("lognorm")} or ${ex("triangular")}`
    : "`uniform 1048576` (1 MiB for every task), `normal [1048576, 1024]` (drawn per task: mean 1 MiB, standard deviation 1 KiB) or `triangular [1024, 1048576]`";

const fail = (message: string, expected: string): DistParse => ({ ok: false, message, expected });

function pairHint(kind: string, params: string): string {
  if (/^\[\s*-/.test(params) || /,\s*-/.test(params))
    return `${kind} takes two numbers that are not negative, such as ${ex(kind)} (got \`${params}\`)`;
  if (/^\[[^\]]*,(\S|\s{2,})/.test(params))
    return `${kind} separates its two numbers with a comma and exactly one space, as in ${ex(kind)}: the original read nothing else (got \`${params}\`)`;
  return `${kind} needs two numbers in square brackets, such as ${ex(kind)} (${WHAT[kind]}); a unit may follow, as in \`${EXAMPLE[kind]}s\` (got \`${params}\`)`;
}

function parsePolynomial(params: string, ctx: DistContext): DistParse {
  if (ctx === "inputSize")
    return fail(
      `an input size cannot be a polynomial: write a size such as \`uniform 1048576\` (1 MiB for every task) or \`normal [1048576, 1024]\``,
      DIST_EXPECTED.inputSize,
    );
  const expected =
    ctx === "length" ? EXAMPLE.polynomial! : `${EXAMPLE.polynomial} or polynomial [1000, 1] Length`;
  const p = POLY.exec(params);
  if (!p)
    return fail(
      `polynomial needs two whole numbers in square brackets, separated by a comma and one space, then what they apply to, such as ${ex("polynomial")} (${WHAT.polynomial})${ctx === "outputSize" ? " or `polynomial [1000, 1] Length` (1000 × the task's length)" : ""} (got \`${params}\`)`,
      expected,
    );
  const [, a, b, src] = p as unknown as [string, string, string, string];
  const input = /^Input_(\d+)$/.exec(src);
  let of: { input: number } | "length";
  if (input) {
    if (Number(input[1]) < 1)
      return fail(
        `inputs are numbered from 1 (\`Input_1\` is the first), as in ${ex("polynomial")}`,
        expected,
      );
    of = { input: Number(input[1]) };
  } else if (src === "Length" && ctx === "outputSize") of = "length";
  else if (src === "Length")
    return fail(
      `Task_Length cannot be a polynomial of its own length; of an input's size it can: ${ex("polynomial")}`,
      expected,
    );
  else
    return fail(
      `a polynomial applies to an input's size, as in ${ex("polynomial")}${ctx === "outputSize" ? ", or to the task's length, as in `polynomial [1000, 1] Length`" : ""} (got \`${src || "nothing"}\`)`,
      expected,
    );
  return {
    ok: true,
    dist: { kind: "polynomial", text: params, a: Number(a), b: Number(b), of },
    ignored: params.slice(p[0].length).trim(),
  };
}

export function parseDist(value: string, ctx: DistContext): DistParse {
  const m = /^(\w+) (.+)$/.exec(value);
  if (!m) {
    const bare = value.trim().toLowerCase();
    if (bare in EXAMPLE)
      return fail(
        `\`${value.trim()}\` needs a value after it, such as ${ex(bare === "uniform" ? "uniform" : bare)}${bare === "uniform" ? ` (every task 10 s long) or ${ex("normal")} (${WHAT.normal})` : ` (${WHAT[bare]})`}`,
        DIST_EXPECTED[ctx],
      );
    return fail(
      `\`${value}\` is not a value this field takes: write a distribution and its parameters after one space, such as ${choices(ctx)}`,
      DIST_EXPECTED[ctx],
    );
  }
  const [, kind, params] = m as unknown as [string, string, string];
  if (kind === "uniform") {
    if (!UNIFORM.test(params))
      return fail(
        `uniform takes one number, such as ${ex("uniform")} (${WHAT.uniform}); a unit may follow, as in \`uniform 10s\` or \`uniform 1048576B\` (got \`${params}\`)`,
        EXAMPLE.uniform!,
      );
    return { ok: true, dist: { kind, text: params, value: leadingNumber(params) }, ignored: "" };
  }
  if (RANDOM.includes(kind)) {
    const p = PAIR.exec(params);
    if (!p) return fail(pairHint(kind, params), EXAMPLE[kind]!);
    return {
      ok: true,
      dist: { kind: kind as RandomKind, text: params, a: Number(p[1]), b: Number(p[2]), unit: p[3] ?? "" },
      ignored: params.slice(p[0].length).trim(),
    };
  }
  if (kind === "polynomial") return parsePolynomial(params, ctx);
  const lower = kind.toLowerCase();
  const hint =
    lower !== kind && (lower === "uniform" || lower === "polynomial" || RANDOM.includes(lower))
      ? ` (names are lower case: \`${lower}\`)`
      : "";
  return fail(
    hint
      ? `unknown distribution \`${kind}\`${hint}, as in ${ex(lower)}`
      : `unknown distribution \`${kind}\`: the ones there are look like ${choices(ctx)}`,
    DIST_EXPECTED[ctx],
  );
}

/** The distribution as the file writes it, e.g. `normal [10, 2]s`. */
export function distText(d: Dist): string {
  return `${d.kind} ${d.text}`;
}
