/**
 * The `key = value` block layout shared by `qstat -f`, `qstat -Qf`, `qstat -Bf` and
 * `pbsnodes -a` (PBS Pro, OpenPBS and Torque): a block starts at an unindented line
 * (`Job Id: 12.srv`, `Queue: workq`, `Server: srv`, or a bare node name) and holds indented
 * `key = value` lines. PBS wraps long values onto lines that start with a TAB; they continue
 * the previous value verbatim.
 */
export interface PbsBlock {
  /** the header without its `Job Id:` / `Queue:` / `Server:` label */
  name: string;
  attrs: Map<string, string>;
}

export function parsePbsBlocks(text: string): PbsBlock[] {
  const blocks: PbsBlock[] = [];
  let cur: PbsBlock | null = null;
  let last: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === "") continue;
    if (!/^\s/.test(raw)) {
      cur = { name: raw.replace(/^(Job Id|Queue|Server):\s*/, "").trim(), attrs: new Map() };
      blocks.push(cur);
      last = null;
      continue;
    }
    if (!cur) continue;
    const kv = raw.startsWith("\t") ? null : /^\s+([A-Za-z_][\w.-]*) = ?(.*)$/.exec(raw);
    if (kv) {
      last = kv[1]!;
      cur.attrs.set(last, kv[2]!.trimEnd());
    } else if (last) {
      cur.attrs.set(last, cur.attrs.get(last)! + raw.trim());
    }
  }
  return blocks;
}

/** PBS durations `[[HH:]MM:]SS` (hours may exceed 24) → seconds; null when unreadable. */
export function pbsDuration(v: string | undefined): number | null {
  if (!v) return null;
  const parts = v.trim().split(":").map(Number);
  if (parts.length === 0 || parts.length > 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  return parts.reduce((a, n) => a * 60 + n, 0);
}
