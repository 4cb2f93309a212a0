/**
 * The few Python 2.7 formatting rules the original library's outputs depend on, so that the
 * strings EManager prints are the ones the original printed.
 */

/** `"%.2f" % v`: exact ties round half to even (JS `toFixed` rounds them up), no exponent form. */
export function pyFixed2(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  const a = Math.abs(v);
  // doubles from 2^53 up are integers; toFixed switches to exponent form at 1e21
  if (a >= 1e21) return `${sign}${BigInt(a).toString()}.00`;
  // toFixed(25) is exact for the digits that matter: a tie ends in a 5 at the third decimal
  const exact = a.toFixed(25);
  const dot = exact.indexOf(".");
  const frac = exact.slice(dot + 1);
  if (frac[2] === "5" && /^0*$/.test(frac.slice(3))) {
    const down = exact.slice(0, dot + 3);
    return sign + (Number(down[down.length - 1]) % 2 === 0 ? down : a.toFixed(2));
  }
  return sign + a.toFixed(2);
}

/** `str(int(v))`: truncation toward zero, every digit of large values. */
export function pyIntString(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`cannot convert ${v} to an integer`);
  const t = Math.trunc(v);
  return Math.abs(t) >= 1e21 ? BigInt(t).toString() : String(t === 0 ? 0 : t);
}

const SHORT: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** `json.dumps(s)` with ensure_ascii: everything outside printable ASCII as \uXXXX (lowercase). */
export function pyJsonString(s: string): string {
  // the common case (file names, numbers) needs no escaping at all
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    for (let i = 0; i < ch.length; i++) {
      const c = ch[i]!;
      const code = c.charCodeAt(0);
      out += SHORT[c] ?? (code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, "0")}` : c);
    }
  }
  return out + '"';
}

/** The leading number of a printed value, as `task` (atof/atoi) reads it: "10s" → 10, "1048576B" → 1048576. */
export function leadingNumber(text: string): number {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text);
  return m ? Number(m[0]) : Number.NaN;
}
