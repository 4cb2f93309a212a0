import type { RunEvent } from "../model/event";
import { emptyView, foldEvents } from "../stats/fold";
import { DEFAULT_END_S, DEFAULT_LAUNCH_GAP_S, DEFAULT_OVERHEADS } from "./from-plan";
import { quantile } from "./many";

/**
 * The queue-wait and overhead model learned from the project's own runs (issue 15): per
 * resource and queue the waits its pilots met (PMGR_ACTIVE_PENDING → PMGR_ACTIVE, and the share
 * that never became active), and per resource the agent start-up, the per-task hand-over, the
 * output collection and the execution overrun, each the median of what past runs recorded. A
 * figure with no data is the documented default, and says so. The hand-over is per task: a batch's
 * time divided by its tasks. Pure: the database reader is
 * lib/runs/calibration.ts; the run being predicted is never among the inputs (it has not run).
 */

/** One finished past run, as the reader hands it over. */
export interface PastRun {
  runId: string;
  events: readonly RunEvent[];
  /** pilot id (the events' entityId) → the resource it ran on */
  pilotResource: Readonly<Record<string, string>>;
  /** task id → its length in seconds, to tell the agent's overrun from the task's own time */
  taskLength: Readonly<Record<string, number>>;
}

/** A fitted figure and where it came from: `measured` (with how many observations) or `default`. */
export interface Fitted {
  value: number;
  source: "measured" | "default";
  n: number;
}

export interface QueueWaits {
  /** submit → active of the pilots that started, seconds */
  samples: number[];
  /** pilots submitted here that ended without becoming active */
  never: number;
}

export interface ResourceCalibration {
  /** queue name ("" for none) → the waits met there */
  waits: Record<string, QueueWaits>;
  startupS: Fitted;
  perTaskS: Fitted;
  stageOutS: Fitted;
  execOverrunS: Fitted;
}

export interface Calibration {
  /** the runs it was learned from */
  runIds: string[];
  resources: Record<string, ResourceCalibration>;
  /** run start → the first pilot's submission (the launch) */
  submitS: Fitted;
  /** one pilot's submission after the previous one's */
  launchGapS: Fitted;
  /** last task final → the run's final event */
  endS: Fitted;
}

const S = (ms: number) => ms / 1000;
// keep the last samples only: the worker gets the model by structured clone
const MAX_SAMPLES = 500;

function fit(xs: number[], fallback: number): Fitted {
  if (xs.length === 0) return { value: fallback, source: "default", n: 0 };
  return { value: quantile(Float64Array.from(xs).sort(), 0.5), source: "measured", n: xs.length };
}

interface Acc {
  waits: Map<string, QueueWaits>;
  startup: number[];
  perTask: number[];
  stageOut: number[];
  overrun: number[];
}

const newAcc = (): Acc => ({ waits: new Map(), startup: [], perTask: [], stageOut: [], overrun: [] });

/** Everything one run tells about its resources, added to the accumulators. */
function observe(
  r: PastRun,
  accOf: (resourceId: string) => Acc,
  global: { submit: number[]; gap: number[]; end: number[] },
): void {
  const view = foldEvents(emptyView(), r.events);
  if (view.t0 === null) return;
  const firstExecOn = new Map<string, number>();
  // the engine hands a pilot its tasks in batches (one step moves them together): the batch's
  // time is shared by its tasks, where the simulator hands them over one after the other
  const batches = new Map<string, { res: string; start: number; end: number; n: number }>();
  let lastFinal = -Infinity;
  for (const t of view.tasks.values()) {
    const h = new Map<string, number>();
    for (const x of t.history) h.set(x.state, x.at);
    for (const sp of t.spans) {
      if (sp.pilotId !== null && sp.start !== null)
        firstExecOn.set(sp.pilotId, Math.min(firstExecOn.get(sp.pilotId) ?? Infinity, sp.start));
    }
    const done = h.get("DONE") ?? h.get("FAILED") ?? h.get("CANCELED");
    if (done !== undefined) lastFinal = Math.max(lastFinal, done);
    const last = t.spans[t.spans.length - 1];
    const res = last?.pilotId ? r.pilotResource[last.pilotId] : undefined;
    if (!res || t.state !== "DONE" || !last || last.start === null || last.end === null) continue;
    const acc = accOf(res);
    const sIn = h.get("TMGR_STAGING_INPUT");
    const aIn = h.get("AGENT_STAGING_INPUT");
    if (sIn !== undefined && aIn !== undefined && aIn >= sIn) {
      const key = `${last.pilotId}:${sIn}`;
      const b = batches.get(key) ?? batches.set(key, { res, start: sIn, end: aIn, n: 0 }).get(key)!;
      b.end = Math.max(b.end, aIn);
      b.n += 1;
    }
    const aOut = h.get("AGENT_STAGING_OUTPUT");
    if (aOut !== undefined && done !== undefined && done >= aOut) acc.stageOut.push(S(done - aOut));
    const len = r.taskLength[t.id];
    if (len !== undefined) acc.overrun.push(Math.max(0, S(last.end - last.start) - len));
  }
  for (const b of batches.values()) {
    const per = S(b.end - b.start) / b.n;
    for (let i = 0; i < b.n; i++) accOf(b.res).perTask.push(per);
  }
  const submits: number[] = [];
  for (const p of view.pilots.values()) {
    const res = r.pilotResource[p.id];
    const q = p.enteredAt.PMGR_ACTIVE_PENDING;
    if (!res || q === undefined) continue;
    submits.push(q);
    const acc = accOf(res);
    const key = p.queue ?? "";
    const w = acc.waits.get(key) ?? acc.waits.set(key, { samples: [], never: 0 }).get(key)!;
    const a = p.enteredAt.PMGR_ACTIVE;
    if (a !== undefined) w.samples.push(S(Math.max(0, a - q)));
    // a pilot cancelled while queued because it was no longer needed (a spare) is not a queue that never starts
    else if (
      p.state === "FAILED" ||
      (p.state === "CANCELED" && !/surplus|spare|not needed/i.test(p.reason ?? ""))
    )
      w.never += 1;
    const first = firstExecOn.get(p.id);
    if (a !== undefined && first !== undefined) acc.startup.push(S(Math.max(0, first - a)));
  }
  submits.sort((x, y) => x - y);
  if (submits.length) global.submit.push(S(submits[0]! - view.t0));
  for (let i = 1; i < submits.length; i++) global.gap.push(S(submits[i]! - submits[i - 1]!));
  if (Number.isFinite(lastFinal) && view.lastAt !== null && view.lastAt >= lastFinal)
    global.end.push(S(view.lastAt - lastFinal));
}

/** The model from `runs` (oldest first); `exclude` is left out whatever the caller passed. */
export function calibrate(runs: readonly PastRun[], exclude?: string): Calibration {
  const accs = new Map<string, Acc>();
  const accOf = (id: string) => accs.get(id) ?? accs.set(id, newAcc()).get(id)!;
  const global = { submit: [] as number[], gap: [] as number[], end: [] as number[] };
  const used = runs.filter((r) => r.runId !== exclude);
  for (const r of used) observe(r, accOf, global);
  const tail = (xs: number[]) => xs.slice(-MAX_SAMPLES);
  const resources: Record<string, ResourceCalibration> = {};
  for (const [id, a] of accs) {
    resources[id] = {
      waits: Object.fromEntries(
        [...a.waits].map(([q, w]) => [q, { samples: tail(w.samples), never: w.never }]),
      ),
      startupS: fit(a.startup, DEFAULT_OVERHEADS.startupS),
      perTaskS: fit(a.perTask, DEFAULT_OVERHEADS.perTaskS),
      stageOutS: fit(a.stageOut, DEFAULT_OVERHEADS.stageOutS),
      execOverrunS: fit(a.overrun, DEFAULT_OVERHEADS.execOverrunS),
    };
  }
  return {
    runIds: used.map((r) => r.runId),
    resources,
    submitS: fit(global.submit, 0),
    launchGapS: fit(global.gap, DEFAULT_LAUNCH_GAP_S),
    endS: fit(global.end, DEFAULT_END_S),
  };
}

/** A model learned from nothing: every figure is the documented default. */
export function emptyCalibration(): Calibration {
  return calibrate([]);
}
