import { z } from "zod";
import { LAUNCH_METHODS } from "./agent-conf";
import { LINE_TAG, ZWord } from "./fields";

/**
 * `events.log`: one fact per line, `v1 TAB epoch_ms TAB kind TAB fields…`, appended by the
 * agent only. Fields sit at fixed positions per kind; a newer agent may append fields after
 * them (ignored here), never insert. Times are the agent node's clock in epoch milliseconds.
 */
export const TASK_FAIL_REASONS = [
  "cancelled",
  "drained",
  "signal",
  "walltime",
  "launch_error",
  "bad_record",
  "too_wide",
  "lost",
] as const;
export const AGENT_STOP_REASONS = ["drain_requested", "signal", "walltime", "conf_error"] as const;
export const ALLOCATION_SOURCES = ["slurm", "pbs", "lsf", "conf"] as const;

const int = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, "a whole number")
  .transform(Number);
const text = z.string();
const list = z.string().transform((s) => (s === "" ? [] : s.split(",")));
const ints = z
  .string()
  .regex(/^[0-9]+(,[0-9]+)*$/, "a comma list of numbers")
  .transform((s) => s.split(",").map(Number));
const exitStatus = z.union([z.literal("-").transform(() => null), int]);

// field name → schema, in line order
const KINDS = {
  agent_active: {
    pilotId: ZWord,
    hostname: text,
    nodes: list,
    cores: int,
    source: z.enum(ALLOCATION_SOURCES),
    launch: z.enum(LAUNCH_METHODS),
    pid: int,
    bash: text,
  },
  task_received: { taskId: ZWord, attempt: int, cores: int },
  task_executing: { taskId: ZWord, attempt: int, slots: ints, hosts: list, pid: int },
  task_done: { taskId: ZWord, attempt: int, exitCode: int, durationMs: int },
  task_failed: { taskId: ZWord, attempt: int, reason: z.enum(TASK_FAIL_REASONS), exitStatus, detail: text },
  inbox_error: { batch: text, line: int, detail: text },
  /** the agent's acknowledgement of a batch it claimed and read: its file name, its line count */
  batch_read: { batch: text, lines: int },
  agent_draining: { reason: z.enum(AGENT_STOP_REASONS), detail: text },
  agent_exit: { reason: z.enum(AGENT_STOP_REASONS), detail: text },
} as const;

type Kinds = typeof KINDS;
export type AgentEventKind = keyof Kinds;
export type AgentEvent = {
  [K in AgentEventKind]: { kind: K; at: number } & { [F in keyof Kinds[K]]: z.output<Kinds[K][F]> };
}[AgentEventKind];
export type AgentEventOf<K extends AgentEventKind> = Extract<AgentEvent, { kind: K }>;

export type EventProblemCode =
  "garbage" | "unknown_version" | "unknown_kind" | "bad_fields" | "overlong_line";
export interface EventProblem {
  code: EventProblemCode;
  /** byte offset of the line in the log */
  offset: number;
  /** the line as read (cut at 500 characters) */
  line: string;
  message: string;
}

export interface ParsedLog {
  events: AgentEvent[];
  /** where the next read starts: just past the last complete line */
  nextOffset: number;
  problems: EventProblem[];
}

const isKind = (k: string): k is AgentEventKind => Object.hasOwn(KINDS, k);

export function parseEventLine(
  line: string,
  offset: number,
): { event: AgentEvent } | { problem: EventProblem } {
  const bad = (code: EventProblemCode, message: string) => ({
    problem: { code, offset, line: line.slice(0, 500), message },
  });
  const [tag = "", at = "", kind = "", ...rest] = line.split("\t");
  if (!/^v[0-9]+$/.test(tag) || !/^[0-9]{1,16}$/.test(at)) return bad("garbage", "not an agent event line");
  if (tag !== LINE_TAG) return bad("unknown_version", `line format ${tag}; this server reads ${LINE_TAG}`);
  if (!isKind(kind))
    return bad("unknown_kind", `unknown event kind ${JSON.stringify(kind.slice(0, 40))} (a newer agent?)`);
  const spec: Record<string, z.ZodType> = KINDS[kind];
  const names = Object.keys(spec);
  if (rest.length < names.length)
    return bad("bad_fields", `${kind} has ${names.length} fields, the line has ${rest.length}`);
  const out: Record<string, unknown> = { kind, at: Number(at) };
  for (const [i, name] of names.entries()) {
    const p = spec[name]!.safeParse(rest[i]);
    if (!p.success) return bad("bad_fields", `${kind} ${name}: ${p.error.issues[0]?.message ?? "invalid"}`);
    out[name] = p.data;
  }
  return { event: out as AgentEvent };
}

export interface ParseLogOptions {
  /** an unterminated tail this long is taken as garbage rather than waited for (a crashed writer) */
  maxLineBytes?: number;
}

/**
 * Parses what was read from `events.log` starting at byte `startOffset`. Only complete lines
 * are consumed, so a line the agent is still writing is read again next time. Never throws:
 * garbage, unknown versions and unknown kinds come back as problems and are skipped.
 */
export function parseEventLog(
  chunk: string | Uint8Array,
  startOffset: number,
  opts: ParseLogOptions = {},
): ParsedLog {
  const max = opts.maxLineBytes ?? 65_536;
  const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
  const end = bytes.lastIndexOf(0x0a);
  const events: AgentEvent[] = [];
  const problems: EventProblem[] = [];
  if (end < 0) {
    if (bytes.length < max) return { events, nextOffset: startOffset, problems };
    const line = new TextDecoder().decode(bytes.subarray(0, 500));
    problems.push({
      code: "overlong_line",
      offset: startOffset,
      line,
      message: `${bytes.length} bytes without a newline; skipped`,
    });
    return { events, nextOffset: startOffset + bytes.length, problems };
  }
  let pos = 0;
  const dec = new TextDecoder();
  while (pos <= end) {
    const nl = bytes.indexOf(0x0a, pos);
    const line = dec.decode(bytes.subarray(pos, nl));
    if (line !== "") {
      const r = parseEventLine(line, startOffset + pos);
      if ("event" in r) events.push(r.event);
      else problems.push(r.problem);
    }
    pos = nl + 1;
  }
  return { events, nextOffset: startOffset + end + 1, problems };
}

/** The line the agent writes for `e` (fixtures, fake agents in tests). */
export function renderEventLine(e: AgentEvent): string {
  const spec: Record<string, unknown> = KINDS[e.kind];
  const rec = e as unknown as Record<string, unknown>;
  const fields = Object.keys(spec).map((name) => {
    const v = rec[name];
    if (Array.isArray(v)) return v.join(",");
    return v === null ? "-" : String(v);
  });
  return [LINE_TAG, e.at, e.kind, ...fields].join("\t") + "\n";
}
