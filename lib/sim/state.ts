import type { PilotRow, TaskRow } from "../engine/context";
import { readiness, stuckReason, type Capacity } from "../engine/decide";
import { TASK_FINAL, TASK_HOLDS_CORES, type TaskState } from "../states/task";
import { pilotRow } from "./adapter";
import { AgentCores } from "./agent-cores";
import { EventHeap } from "./heap";
import { freshRows, type Prepared } from "./prepare";
import { Recorder } from "./record";
import type { SimPilot } from "./types";
import { WaitQueue } from "./wait-queue";

/**
 * The state of one simulated run and the bookkeeping every event needs: task states (with the
 * cores they hold on their pilot, by the engine's own TASK_HOLDS_CORES), final states, readiness
 * of dependent tasks, pilot ends and the engine's "stuck" check. The events themselves are in
 * events.ts, binding and hand-over in bind.ts, the end of the run in finish.ts.
 */

/** Event kinds on the heap: payload `a` is a pilot or task index, `b` a task's attempt token. */
export const ACTIVE = 1;
export const PILOT_END = 2;
export const EXEC_END = 3;
export const TASK_DONE = 4;

export interface PilotSim {
  spec: SimPilot;
  row: PilotRow;
  activeAt: number | null;
  /** agent started: the first hand-over can begin */
  readyAt: number;
  /** this pilot's hand-over channel is free from then */
  channelAt: number;
  /** cores held by bound tasks (states in TASK_HOLDS_CORES) */
  held: number;
  /** tasks handed over so far (the first `cores` are its first fill) */
  given: number;
  endAt: number | null;
  endKind: "walltime" | "failure";
  /** with prefetch: when each core is next free, for tasks waiting in the agent */
  agent: AgentCores | null;
  /** recorded runs: when each core slot is next free, for the Gantt's lanes */
  slotFree: Float64Array | null;
  /** its capacity while binding (bind.ts), one object reused */
  cap: Capacity;
}

export interface SimState {
  prep: Prepared;
  n: number;
  rows: TaskRow[];
  byTaskId: Map<string, TaskRow>;
  pilots: PilotSim[];
  pilotIndex: Map<string, number>;
  heap: EventHeap;
  queue: WaitQueue;
  rec: Recorder | null;
  /** the capacities of one binding pass (bind.ts), reused */
  caps: Capacity[];
  /** the engine's tick, for prefetchFor; 0: prefetch only by share */
  tickS: number;
  /** pilots may hold tasks beyond their cores, which then wait in the agent */
  prefetch: boolean;
  /** per task: bumped when an attempt is abandoned, so its pending events are ignored */
  token: Int32Array;
  boundTo: Int32Array;
  handAt: Float64Array;
  deliverAt: Float64Array;
  execStart: Float64Array;
  slotsOf: number[][];
  /** pilots on which some task finished executing */
  used: Uint8Array;
  /** the run's one re-binding channel is free from then */
  laterAt: number;
  /** execution attempts (in order of ends) and busy stretches (hand-over to collection), for the terms */
  iv: { xs: number[]; xe: number[]; bs: number[]; be: number[] };
  finals: number;
  doneTasks: number;
  failedTasks: number;
  lastFinal: number;
  failure: string | undefined;
  firstFailure: string | null;
}

const HOLDS: ReadonlySet<TaskState> = new Set(TASK_HOLDS_CORES);

export function createState(prep: Prepared): SimState {
  const input = prep.input;
  const n = input.workload.tasks.length;
  const runId = input.runId ?? "simulated";
  const rec = input.record ? new Recorder(runId, input.t0Ms ?? Date.UTC(2026, 0, 1)) : null;
  const rows = freshRows(prep);
  const tickS = input.tickS ?? 0;
  const prefetch = input.prefetchShare > 0 || tickS > 0;
  const pilots: PilotSim[] = input.pilots.map((p, i) => {
    const row = pilotRow(p, i, runId);
    return {
      spec: p,
      row,
      cap: { pilot: row, free: 0 },
      activeAt: null,
      readyAt: 0,
      channelAt: 0,
      held: 0,
      given: 0,
      endAt: null,
      endKind: "walltime",
      agent: prefetch ? new AgentCores(p.cores) : null,
      slotFree: rec ? new Float64Array(p.cores) : null,
    };
  });
  return {
    prep,
    n,
    rows,
    byTaskId: new Map(prep.hasDeps ? rows.map((r) => [r.taskId, r]) : []),
    pilots,
    pilotIndex: new Map(pilots.map((p, i) => [p.row.id, i])),
    heap: new EventHeap(),
    queue: new WaitQueue(prep.rankOf, prep.lengths),
    rec,
    caps: [],
    tickS,
    prefetch,
    token: new Int32Array(n),
    boundTo: new Int32Array(n).fill(-1),
    handAt: new Float64Array(n),
    deliverAt: new Float64Array(n),
    execStart: new Float64Array(n).fill(NaN),
    slotsOf: [],
    used: new Uint8Array(pilots.length),
    laterAt: 0,
    iv: { xs: [], xe: [], bs: [], be: [] },
    finals: 0,
    doneTasks: 0,
    failedTasks: 0,
    lastFinal: 0,
    failure: undefined,
    firstFailure: null,
  };
}

/** A task's new state; its pilot's held cores follow TASK_HOLDS_CORES, as the engine counts them. */
export function setState(s: SimState, i: number, state: TaskState): void {
  const r = s.rows[i]!;
  const k = s.boundTo[i]!;
  const before = HOLDS.has(r.state);
  const after = HOLDS.has(state);
  r.state = state;
  if (k >= 0 && before !== after) s.pilots[k]!.held += after ? r.cores : -r.cores;
}

export function finalize(
  s: SimState,
  i: number,
  state: "DONE" | "FAILED" | "CANCELED",
  at: number,
  reason: string | null,
): void {
  setState(s, i, state);
  s.finals++;
  if (state === "DONE") s.doneTasks++;
  else {
    s.failedTasks++;
    s.firstFailure ??= reason;
  }
  s.lastFinal = Math.max(s.lastFinal, at);
  s.rec?.task(s.prep.input.workload.tasks[i]!.id, state, at, reason, { attempt: s.rows[i]!.attempt });
}

/** Waiting tasks among `idxs` whose inputs are now all DONE join the queue; those whose inputs failed fail. */
export function checkReady(s: SimState, idxs: Iterable<number>, at: number): void {
  const waiting: TaskRow[] = [];
  for (const i of idxs)
    if (s.rows[i]!.state === "TMGR_SCHEDULING_PENDING" && !s.queue.has(i)) waiting.push(s.rows[i]!);
  if (waiting.length === 0) return;
  const r = readiness(s.prep.rt, waiting, s.byTaskId);
  for (const t of r.ready) s.queue.add(s.prep.indexOf.get(t.taskId)!);
  for (const b of r.blocked) {
    const i = s.prep.indexOf.get(b.task.taskId)!;
    const why = s.byTaskId.get(b.by)?.state ?? "did not finish";
    finalize(s, i, "FAILED", at, `its input comes from ${b.by}, which ${why}`);
    checkReady(s, s.prep.consumers[i]!, at);
  }
}

export function endPilot(
  s: SimState,
  k: number,
  t: number,
  state: "DONE" | "FAILED" | "CANCELED",
  reason: string,
): void {
  const p = s.pilots[k]!;
  p.row.state = state;
  p.row.reason = reason;
  p.endAt = t;
  s.rec?.pilot(p.row.id, state, t, reason, null);
}

/** The engine's question on every tick: can the remaining tasks still run? If not, the run stops. */
export function stopIfStuck(s: SimState, t: number): boolean {
  const remaining = s.rows.filter((r) => !TASK_FINAL.includes(r.state));
  const why = stuckReason(
    s.pilots.map((p) => p.row),
    remaining,
  );
  if (!why) return false;
  s.failure = why;
  for (const r of remaining)
    if (r.state === "TMGR_SCHEDULING_PENDING")
      finalize(s, s.prep.indexOf.get(r.taskId)!, "CANCELED", t, `run stopped: ${why}`);
  return true;
}
