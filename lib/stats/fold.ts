import type { RunEvent } from "../model/event";
import { PILOT_STATES } from "../states/pilot";
import { TASK_STATES } from "../states/task";

/**
 * Folds a run's event log into the current picture: each pilot's state segments and each
 * task's attempts. Pure and incremental-friendly (the dashboard folds in the browser).
 * Duplicates and out-of-order events are tolerated: within one attempt a task never moves
 * to an earlier state (ordinal), and a requeue (back to the wait queue) starts a new span.
 */
export interface PilotView {
  id: string;
  label: string;
  queue: string | null;
  cores: number;
  state: string;
  reason: string | null;
  /** state → first time entered (ms) */
  enteredAt: Record<string, number>;
  segments: { state: string; start: number; end: number | null }[];
}

export interface TaskSpan {
  pilotId: string | null;
  attempt: number;
  slots: number[];
  start: number | null;
  end: number | null;
  exitCode: number | null;
}

export interface TaskView {
  id: string;
  stage: string;
  cores: number;
  state: string;
  attempt: number;
  reason: string | null;
  pilotId: string | null;
  /** `pilotId`: the pilot bound to (TMGR_SCHEDULING, AGENT_EXECUTING) or left (a requeue's fromPilotId) */
  history: { state: string; at: number; reason: string | null; pilotId?: string | null }[];
  spans: TaskSpan[];
}

export interface RunView {
  t0: number | null;
  runState: string;
  runReason: string | null;
  lastAt: number | null;
  pilots: Map<string, PilotView>;
  tasks: Map<string, TaskView>;
  stages: string[];
}

// ordinals by lookup, not indexOf: the run page folds 60,000 events at once on opening a big run
const ordinals = (states: readonly string[]) => new Map(states.map((s, i) => [s, i]));
const P_ORD = ordinals(PILOT_STATES);
const T_ORD = ordinals(TASK_STATES);
const pOrd = (s: string) => P_ORD.get(s) ?? -1;
const tOrd = (s: string) => T_ORD.get(s) ?? -1;
const FINAL_STATES = new Set(["DONE", "FAILED", "CANCELED"]);
// one string per state name: a row's own copy would otherwise be kept in every task's history
// (900,000 strings for a 100,000-task run, where 20 names do)
const STATE_NAMES = new Map<string, string>([...PILOT_STATES, ...TASK_STATES].map((x) => [x, x]));
const stateName = (x: string) => STATE_NAMES.get(x) ?? x;
const num = (v: unknown, d = 0) => (typeof v === "number" && Number.isFinite(v) ? v : d);

export function emptyView(): RunView {
  return {
    t0: null,
    runState: "NEW",
    runReason: null,
    lastAt: null,
    pilots: new Map(),
    tasks: new Map(),
    stages: [],
  };
}

export function foldEvents(view: RunView, events: readonly RunEvent[]): RunView {
  for (const e of events) foldOne(view, e);
  return view;
}

function foldOne(view: RunView, e: RunEvent): void {
  if (!Number.isFinite(e.at)) return;
  view.t0 = view.t0 === null ? e.at : Math.min(view.t0, e.at);
  view.lastAt = view.lastAt === null ? e.at : Math.max(view.lastAt, e.at);
  if (e.entity === "run") {
    view.runState = e.to;
    view.runReason = e.reason ?? view.runReason;
  } else if (e.entity === "pilot") foldPilot(view, e);
  else foldTask(view, e);
}

/**
 * The parsed `data` of each distinct JSON text: a 100,000-task log has 900,000 events but a few
 * hundred distinct texts. The objects are shared between events, so they are frozen.
 */
export type DataTexts = Map<string, Record<string, unknown>>;

export function parseData(texts: DataTexts, text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  let d = texts.get(text);
  if (!d) {
    const o: unknown = JSON.parse(text);
    d = Object.freeze(
      o !== null && typeof o === "object" && !Array.isArray(o) ? (o as Record<string, unknown>) : {},
    );
    texts.set(text, d);
  }
  return d;
}

/**
 * An event row as the database returns it, as an array (no object per row: a big run's log has
 * 900,000): seq, entity, entity id, from, to, at (ms), reason, data (the JSON text).
 */
export type EventTuple = [
  seq: number,
  entity: string,
  entityId: string,
  from: string | null,
  to: string,
  at: number,
  reason: string | null,
  data: string | null,
];

export const tupleEntity = (s: string): RunEvent["entity"] =>
  s === "pilot" ? "pilot" : s === "task" ? "task" : "run";

/** A row as a RunEvent, its `data` parsed once per distinct text. */
export function tupleEvent(runId: string, r: EventTuple, texts: DataTexts): RunEvent {
  return {
    seq: r[0],
    runId,
    entity: tupleEntity(r[1]),
    entityId: r[2],
    from: r[3],
    to: r[4],
    at: r[5],
    reason: r[6],
    data: parseData(texts, r[7]),
  };
}

/**
 * foldEvents for rows as the database holds them: one event object reused for every row, so a
 * big log is folded without building an object per event first.
 */
export function foldRows(
  view: RunView,
  runId: string,
  rows: readonly EventTuple[],
  texts: DataTexts,
): RunView {
  const e: RunEvent = {
    seq: 0,
    runId,
    entity: "run",
    entityId: "",
    from: null,
    to: "",
    at: 0,
    reason: null,
    data: null,
  };
  for (const r of rows) {
    e.seq = r[0];
    e.entity = tupleEntity(r[1]);
    e.entityId = r[2];
    e.from = r[3] === null ? null : stateName(r[3]);
    e.to = stateName(r[4]);
    e.at = r[5];
    e.reason = r[6];
    e.data = parseData(texts, r[7]);
    foldOne(view, e);
  }
  return view;
}

function foldPilot(view: RunView, e: RunEvent): void {
  let p = view.pilots.get(e.entityId);
  if (!p) {
    const d = e.data ?? {};
    p = {
      id: e.entityId,
      label: String(d.label ?? e.entityId),
      queue: typeof d.queue === "string" ? d.queue : null,
      cores: num(d.cores, 1),
      state: "NEW",
      reason: null,
      enteredAt: {},
      segments: [],
    };
    view.pilots.set(e.entityId, p);
  }
  if (pOrd(e.to) <= pOrd(p.state) && p.segments.length > 0) return;
  const last = p.segments[p.segments.length - 1];
  if (last && last.end === null) last.end = e.at;
  p.state = e.to;
  p.enteredAt[e.to] ??= e.at;
  if (e.reason) p.reason = e.reason;
  if (!FINAL_STATES.has(e.to)) p.segments.push({ state: e.to, start: e.at, end: null });
}

function foldTask(view: RunView, e: RunEvent): void {
  const d = e.data ?? {};
  let t = view.tasks.get(e.entityId);
  if (!t) {
    const stage = typeof d.stage === "string" ? d.stage : e.entityId.replace(/_\d+$/, "");
    t = {
      id: e.entityId,
      stage,
      cores: num(d.cores, 1),
      state: "NEW",
      attempt: 0,
      reason: null,
      pilotId: null,
      history: [],
      spans: [],
    };
    view.tasks.set(e.entityId, t);
    if (!view.stages.includes(stage)) view.stages.push(stage);
  }
  const attempt = num(d.attempt, t.attempt);
  const requeue = e.to === "TMGR_SCHEDULING_PENDING" && tOrd(t.state) > tOrd("TMGR_SCHEDULING_PENDING");
  if (!requeue && attempt === t.attempt && tOrd(e.to) <= tOrd(t.state) && t.history.length > 0) return;
  const pilotId =
    typeof d.pilotId === "string" ? d.pilotId : typeof d.fromPilotId === "string" ? d.fromPilotId : null;
  t.history.push({ state: e.to, at: e.at, reason: e.reason, pilotId });
  t.state = e.to;
  t.attempt = attempt;
  if (e.reason) t.reason = e.reason;
  if (requeue) t.pilotId = null;
  if (e.to === "TMGR_SCHEDULING" && typeof d.pilotId === "string") t.pilotId = d.pilotId;
  if (e.to === "AGENT_EXECUTING") {
    t.spans.push({
      pilotId: typeof d.pilotId === "string" ? d.pilotId : t.pilotId,
      attempt,
      slots: Array.isArray(d.slots) ? d.slots.map((x) => num(x)) : [],
      start: e.at,
      end: null,
      exitCode: null,
    });
  }
  const open = t.spans[t.spans.length - 1];
  if (open && open.end === null && e.to !== "AGENT_EXECUTING" && tOrd(e.to) > tOrd("AGENT_EXECUTING")) {
    open.end = e.at;
    if (typeof d.exitCode === "number") open.exitCode = d.exitCode;
  }
  if (open && open.end === null && (requeue || e.to === "FAILED" || e.to === "CANCELED")) open.end = e.at;
}

/** Tasks per stage and state group: what the counts panel shows. */
export const STATE_GROUPS = ["waiting", "scheduling", "staging", "running", "done", "failed"] as const;
export type StateGroup = (typeof STATE_GROUPS)[number];

export function stateGroup(s: string): StateGroup {
  if (s === "DONE") return "done";
  if (s === "FAILED" || s === "CANCELED") return "failed";
  if (s === "AGENT_EXECUTING") return "running";
  if (
    s === "TMGR_STAGING_INPUT" ||
    s === "AGENT_STAGING_INPUT" ||
    s === "AGENT_STAGING_OUTPUT" ||
    s === "TMGR_STAGING_OUTPUT"
  )
    return "staging";
  if (s === "TMGR_SCHEDULING" || s === "AGENT_SCHEDULING") return "scheduling";
  return "waiting";
}

export function countsByStage(view: RunView): Map<string, Record<StateGroup, number>> {
  const out = new Map<string, Record<StateGroup, number>>();
  for (const s of view.stages)
    out.set(s, { waiting: 0, scheduling: 0, staging: 0, running: 0, done: 0, failed: 0 });
  for (const t of view.tasks.values()) out.get(t.stage)![stateGroup(t.state)] += 1;
  return out;
}
