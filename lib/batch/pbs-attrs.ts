import { z } from "zod";

/**
 * The `key = value` block layout shared by `qstat -f`, `qstat -Qf`, `qstat -Bf` and
 * `pbsnodes -a` (PBS Pro, OpenPBS and Torque): a block starts at an unindented line
 * (`Job Id: 12.srv`, `Queue: workq`, `Server: srv`, or a bare node name) and holds indented
 * `key = value` lines. PBS wraps long values onto lines that start with a TAB; they continue
 * the previous value verbatim. PBS Pro can print the same objects as JSON (`-F json`); those
 * are flattened into the same blocks (`resources_max.walltime`), so one reader serves both.
 */
export interface PbsBlock {
  /** the header without its `Job Id:` / `Queue:` / `Server:` label */
  name: string;
  attrs: Map<string, string>;
}

/** The labelled block headers; `pbsnodes -a` blocks start at a bare node name instead. */
const HEADER = /^(Job Id|Queue|Server):\s*/;

export function parsePbsBlocks(text: string): PbsBlock[] {
  const blocks: PbsBlock[] = [];
  let cur: PbsBlock | null = null;
  let last: string | null = null;
  let labelled = false;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === "") continue;
    if (!/^\s/.test(raw)) {
      const label = HEADER.test(raw);
      // Inside a `Job Id:` / `Queue:` / `Server:` block only another such header starts a block:
      // Torque prints parts of long values (a long sched_hint, a variable list) unindented, and
      // reading those as headers split the record and lost the attributes after them.
      if (!label && labelled && last) {
        cur!.attrs.set(last, cur!.attrs.get(last)! + raw.trim());
        continue;
      }
      cur = { name: raw.replace(HEADER, "").trim(), attrs: new Map() };
      blocks.push(cur);
      labelled = label;
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

/** A JSON attribute value: PBS Pro mixes strings, numbers, lists (node `jobs`) and nested resource objects. */
type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
const ZJsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(ZJsonValue),
    z.record(z.string(), ZJsonValue),
  ]),
);
const ZObjects = z.record(z.string(), z.record(z.string(), ZJsonValue));
/** `qstat -f -F json` → Jobs, `qstat -Qf -F json` → Queue, `qstat -Bf -F json` → Server, `pbsnodes -a -F json` → nodes. */
const ZPbsJson = z.object({
  pbs_version: z.string().optional(),
  Jobs: ZObjects.optional(),
  Queue: ZObjects.optional(),
  Server: ZObjects.optional(),
  nodes: ZObjects.optional(),
});

function flatten(prefix: string, v: JsonValue, out: Map<string, string>): void {
  if (v === null) return;
  if (Array.isArray(v))
    out.set(prefix, v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", "));
  else if (typeof v === "object")
    for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  else out.set(prefix, String(v));
}

/** True when the text is a PBS Pro `-F json` document rather than the `key = value` form. */
export const looksJson = (text: string) => text.trimStart().startsWith("{");

/**
 * Blocks from a `-F json` document. A document that is not the JSON PBS prints throws with
 * the reason (zod's), so a probe reports what was wrong instead of an empty snapshot.
 */
export function parsePbsJson(text: string): PbsBlock[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`PBS printed JSON that does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  const doc = ZPbsJson.safeParse(raw);
  if (!doc.success)
    throw new Error(
      `PBS JSON without the expected Jobs/Queue/Server/nodes objects: ${doc.error.issues[0]?.message ?? "unexpected shape"}`,
    );
  const objs = { ...doc.data.Server, ...doc.data.Queue, ...doc.data.Jobs, ...doc.data.nodes };
  return Object.entries(objs).map(([name, o]) => {
    const attrs = new Map<string, string>();
    flatten("", o, attrs);
    return { name, attrs };
  });
}

/** Either form. */
export const parsePbsAny = (text: string): PbsBlock[] =>
  looksJson(text) ? parsePbsJson(text) : parsePbsBlocks(text);

/**
 * Rows of the one-line-per-job tables (`qstat`, `qstat -a`, `qstat -u`, `qstat -s`): the row
 * starts with a job id, and in every layout the state letter is the second-to-last column.
 * Ids may be cut short (`315230.kman.res`) and comment lines may follow a row (`-s`); both are
 * why callers match by the id's number.
 */
export function parseQstatTable(text: string): { id: string; state: string }[] {
  const rows: { id: string; state: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!/^\d+(\[\d*\])?(\.\S*)?\s/.test(line)) continue;
    const cols = line.trim().split(/\s+/);
    const st = cols[cols.length - 2] ?? "";
    if (cols.length >= 4 && /^[A-Z]$/.test(st)) rows.push({ id: cols[0]!, state: st });
  }
  return rows;
}

/** PBS durations `[[HH:]MM:]SS` (hours may exceed 24) → seconds; null when unreadable. */
export function pbsDuration(v: string | undefined): number | null {
  if (!v) return null;
  const parts = v.trim().split(":").map(Number);
  if (parts.length === 0 || parts.length > 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  return parts.reduce((a, n) => a * 60 + n, 0);
}
