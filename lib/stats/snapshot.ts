import { z } from "zod";
import type { RunEvent } from "../model/event";
import type { PilotView, RunView, TaskView } from "./fold";

/**
 * The run page's opening picture: the run already folded (lib/stats/fold.ts) by the server, in
 * columns, instead of its whole event log. A 100,000-task run has 900,000 events; as a folded view
 * it is 100,000 tasks with their state histories and execution spans, and the page decodes it in
 * one pass instead of parsing and folding every event. Lossless: decodeSnapshot(encodeSnapshot(v))
 * is the view foldEvents builds. `tail` carries the newest events for the event log.
 */
export interface RunSnapshot {
  v: 1;
  runId: string;
  /** seq of the last event folded in: live events continue after it */
  lastSeq: number;
  t0: number | null;
  runState: string;
  runReason: string | null;
  lastAt: number | null;
  pilots: PilotView[];
  stages: string[];
  /** dictionary of strings: states, reasons, pilot ids */
  strs: string[];
  /** per task (index k) */
  id: string[];
  stage: number[];
  cores: number[];
  state: number[];
  attempt: number[];
  /** index into strs, -1 for none (also below) */
  reason: number[];
  pilot: number[];
  /**
   * history: entries per task, then per entry its state, its time (ms after the task's previous
   * entry, the first after t0) and its pilot (0: none, 1: the task's `pilot`, else 2 + index into
   * strs); reasons are rare: [entry index, index into strs] pairs
   */
  hn: number[];
  hs: number[];
  ha: number[];
  hp: number[];
  hr: [number, number][];
  /** spans: per task their count, then per span pilot, attempt, start and end (ms after t0, null when open), exit code, slot count and slots */
  sn: number[];
  sp: number[];
  sa: number[];
  sb: (number | null)[];
  se: (number | null)[];
  sx: (number | null)[];
  sk: number[];
  sl: number[];
  tail: RunEvent[];
}

export function encodeSnapshot(runId: string, view: RunView, lastSeq: number, tail: RunEvent[]): RunSnapshot {
  const idx = new Map<string, number>();
  const strs: string[] = [];
  const str = (s: string | null | undefined) => {
    if (s === null || s === undefined) return -1;
    let i = idx.get(s);
    if (i === undefined) {
      i = strs.length;
      strs.push(s);
      idx.set(s, i);
    }
    return i;
  };
  const stageIdx = new Map(view.stages.map((s, i) => [s, i]));
  const t0 = view.t0 ?? 0;
  const c: RunSnapshot = {
    v: 1,
    runId,
    lastSeq,
    t0: view.t0,
    runState: view.runState,
    runReason: view.runReason,
    lastAt: view.lastAt,
    pilots: [...view.pilots.values()],
    stages: view.stages,
    strs,
    id: [],
    stage: [],
    cores: [],
    state: [],
    attempt: [],
    reason: [],
    pilot: [],
    hn: [],
    hs: [],
    ha: [],
    hr: [],
    hp: [],
    sn: [],
    sp: [],
    sa: [],
    sb: [],
    se: [],
    sx: [],
    sk: [],
    sl: [],
    tail,
  };
  for (const t of view.tasks.values()) {
    c.id.push(t.id);
    c.stage.push(stageIdx.get(t.stage) ?? -1);
    c.cores.push(t.cores);
    c.state.push(str(t.state));
    c.attempt.push(t.attempt);
    c.reason.push(str(t.reason));
    c.pilot.push(str(t.pilotId));
    c.hn.push(t.history.length);
    let prev = t0;
    for (const h of t.history) {
      if (h.reason !== null) c.hr.push([c.hs.length, str(h.reason)]);
      c.hs.push(str(h.state));
      c.ha.push(h.at - prev);
      prev = h.at;
      const p = h.pilotId ?? null;
      c.hp.push(p === null ? 0 : p === t.pilotId ? 1 : 2 + str(p));
    }
    c.sn.push(t.spans.length);
    for (const s of t.spans) {
      c.sp.push(str(s.pilotId));
      c.sa.push(s.attempt);
      c.sb.push(s.start === null ? null : s.start - t0);
      c.se.push(s.end === null ? null : s.end - t0);
      c.sx.push(s.exitCode);
      c.sk.push(s.slots.length);
      for (const k of s.slots) c.sl.push(k);
    }
  }
  return c;
}

// Long columns are checked with one plain loop each (zod per element is slow on millions of numbers).
const ints = z.custom<number[]>((v) => Array.isArray(v) && v.every(Number.isInteger), {
  message: "expected an array of integers",
});
const nums = z.custom<number[]>((v) => Array.isArray(v) && v.every(Number.isFinite), {
  message: "expected an array of numbers",
});
const maybeNums = z.custom<(number | null)[]>(
  (v) => Array.isArray(v) && v.every((x) => x === null || Number.isFinite(x)),
  { message: "expected an array of numbers or nulls" },
);
const ZPilot = z.object({
  id: z.string(),
  label: z.string(),
  queue: z.string().nullable(),
  cores: z.number(),
  state: z.string(),
  reason: z.string().nullable(),
  enteredAt: z.record(z.string(), z.number()),
  segments: z.array(z.object({ state: z.string(), start: z.number(), end: z.number().nullable() })),
});
const ZEvent = z.object({
  seq: z.number().int(),
  runId: z.string(),
  entity: z.enum(["run", "pilot", "task"]),
  entityId: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  at: z.number(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
const ZSnapshot = z.object({
  v: z.literal(1),
  runId: z.string(),
  lastSeq: z.number().int(),
  t0: z.number().nullable(),
  runState: z.string(),
  runReason: z.string().nullable(),
  lastAt: z.number().nullable(),
  pilots: z.array(ZPilot),
  stages: z.array(z.string()),
  strs: z.array(z.string()),
  id: z.custom<string[]>((v) => Array.isArray(v) && v.every((x) => typeof x === "string"), {
    message: "expected an array of strings",
  }),
  stage: ints,
  cores: nums,
  state: ints,
  attempt: ints,
  reason: ints,
  pilot: ints,
  hn: ints,
  hs: ints,
  ha: nums,
  hp: ints,
  hr: z.array(z.tuple([z.number().int(), z.number().int()])),
  sn: ints,
  sp: ints,
  sa: ints,
  sb: maybeNums,
  se: maybeNums,
  sx: maybeNums,
  sk: ints,
  sl: ints,
  tail: z.array(ZEvent),
});

export type DecodedSnapshot =
  { ok: true; view: RunView; lastSeq: number; tail: RunEvent[] } | { ok: false; error: string };

/** Checks a received snapshot (it crosses the network) and rebuilds the RunView. */
export function decodeSnapshot(raw: unknown): DecodedSnapshot {
  const p = ZSnapshot.safeParse(raw);
  if (!p.success) return { ok: false, error: p.error.message };
  const c = p.data;
  const n = c.id.length;
  if ([c.stage, c.cores, c.state, c.attempt, c.reason, c.pilot, c.hn, c.sn].some((a) => a.length !== n))
    return { ok: false, error: "task columns of different lengths" };
  const hTotal = c.hn.reduce((a, b) => a + b, 0);
  if ([c.hs, c.ha, c.hp].some((a) => a.length !== hTotal))
    return { ok: false, error: "history columns of different lengths" };
  const sTotal = c.sn.reduce((a, b) => a + b, 0);
  if ([c.sp, c.sa, c.sb, c.se, c.sx, c.sk].some((a) => a.length !== sTotal))
    return { ok: false, error: "span columns of different lengths" };
  if (c.sl.length !== c.sk.reduce((a, b) => a + b, 0))
    return { ok: false, error: "slot column of the wrong length" };
  let bad = false;
  const str = (i: number): string | null => {
    if (i < 0) return null;
    const s = c.strs[i];
    if (s === undefined) bad = true;
    return s ?? null;
  };
  const t0 = c.t0 ?? 0;
  const reasons = new Map(c.hr);
  const tasks = new Map<string, TaskView>();
  let h = 0;
  let s = 0;
  let l = 0;
  for (let k = 0; k < n; k++) {
    const history: TaskView["history"] = new Array(c.hn[k]!);
    const pilotId = str(c.pilot[k]!);
    let at = t0;
    for (let j = 0; j < history.length; j++, h++) {
      at += c.ha[h]!;
      const r = reasons.get(h);
      const p = c.hp[h]!;
      history[j] = {
        state: str(c.hs[h]!) ?? "",
        at,
        reason: r === undefined ? null : str(r),
        pilotId: p === 0 ? null : p === 1 ? pilotId : str(p - 2),
      };
    }
    const spans: TaskView["spans"] = new Array(c.sn[k]!);
    for (let j = 0; j < spans.length; j++, s++) {
      const slots = c.sl.slice(l, l + c.sk[s]!);
      l += slots.length;
      const b = c.sb[s]!;
      const e = c.se[s]!;
      spans[j] = {
        pilotId: str(c.sp[s]!),
        attempt: c.sa[s]!,
        slots,
        start: b === null ? null : b + t0,
        end: e === null ? null : e + t0,
        exitCode: c.sx[s]!,
      };
    }
    const id = c.id[k]!;
    const stage = c.stages[c.stage[k]!];
    if (stage === undefined) return { ok: false, error: `task ${id}: stage index out of range` };
    tasks.set(id, {
      id,
      stage,
      cores: c.cores[k]!,
      state: str(c.state[k]!) ?? "NEW",
      attempt: c.attempt[k]!,
      reason: str(c.reason[k]!),
      pilotId,
      history,
      spans,
    });
  }
  if (bad) return { ok: false, error: "string index out of range" };
  const view: RunView = {
    t0: c.t0,
    runState: c.runState,
    runReason: c.runReason,
    lastAt: c.lastAt,
    pilots: new Map(c.pilots.map((p) => [p.id, p])),
    tasks,
    stages: c.stages,
  };
  return { ok: true, view, lastSeq: c.lastSeq, tail: c.tail };
}
