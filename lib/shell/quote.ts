/**
 * POSIX shell quoting. Every value that reaches a remote shell goes through `sh()`
 * after it has been validated against a strict pattern (lib/shell/patterns.ts):
 * validation rejects what has no business being there, quoting makes the rest inert.
 */
export function sh(value: string | number): string {
  const s = String(value);
  if (s.includes("\0")) throw new Error("a NUL byte cannot be passed to a shell");
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Joins already-separate arguments into one command line, each quoted. */
export function shJoin(args: readonly (string | number)[]): string {
  return args.map(sh).join(" ");
}
