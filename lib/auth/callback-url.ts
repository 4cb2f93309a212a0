/**
 * Where to go after signing in: only a path on this site. `callbackUrl` comes from the query
 * string, so it is whatever an attacker's link says. Browsers read `/\host`, `/%5C%5Chost` and
 * `/<tab>/host` (tabs and newlines are dropped) as `//host`, another site; resolving against a
 * placeholder origin with the WHATWG parser, as the browser will, and keeping only what stays on
 * that origin, catches every spelling at once. The result is re-serialised from the parsed URL, so
 * what is followed is what was checked.
 */
const BASE = "http://emanager.invalid";

export function safeCallbackPath(raw: string | null | undefined, fallback = "/runs"): string {
  if (!raw || raw.length > 2000 || !raw.startsWith("/")) return fallback;
  // control characters (tab, CR, LF, NUL…) and backslashes have no business in our paths
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  let u: URL;
  try {
    u = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (u.origin !== BASE) return fallback;
  const out = u.pathname + u.search + u.hash;
  // "/.//evil.org" normalises to the path "//evil.org", which a browser would take as a host
  if (!out.startsWith("/") || out.startsWith("//")) return fallback;
  return out;
}
