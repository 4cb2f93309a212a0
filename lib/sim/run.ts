import type { PilotRow, TaskRow } from "../engine/context";
import {
  agentExitState,
  bindLate,
  onPilotEnded,
  readiness,
  stuckReason,
  type Capacity,
} from "../engine/decide";
import type { RunRuntime } from "../engine/runtime";
import { surplusToCancel } from "../engine/surplus";
import type { Rng } from "../skeleton/rng";
import { pilotRow, queueOrder, runtimeOf, taskRows } from "./adapter";
import { EventHeap } from "./heap";
import { Recorder } from "./record";
import type { SimInput, SimPilot, SimResult } from "./types";
import { termsOf } from "./terms";
import { WaitQueue } from "./wait-queue";
import { drawWait } from "./waits";

/**
 * A discrete-event simulation of one run, as the engine would drive it: pilots submitted and
 * waiting in their queues, agents starting, tasks bound late by the engine's own `bindLate`
 * (in its queue order, whenever cores free up), handed over one at a time per pilot with their
 * input bytes, executing, staging out; walltime expiry and pilot failure handled by the
 * engine's `onPilotEnded` (rebind, retry or fail) and `stuckReason`. Pure: the same input and
 * random stream give the same result.
 */

/** What depends only on the input, computed once for many simulations of it. */
export interface Prepared {
  input: SimInput;
  rt: RunRuntime;
  /** task indices in the engine's wait-queue order */
  order: Int32Array;
  rankOf: Int32Array;
  indexOf: Map<string, number>;
  consumers: Int32Array[];
  hasDeps: boolean;
  bytesIn: Float64Array;
  bytesOut: Float64Array;
  /** seconds of each task on each pilot (flops converted with that pilot's rate) */
  seconds: Float64Array[];
  /** task rows reused from one simulation to the next (Monte Carlo runs them one after the other) */
  rows?: TaskRow[];
}

export function prepare(input: SimInput): Prepared {
  const w = input.workload;
  const runId = input.runId ?? "simulated";
  const rows = taskRows(w);
  const indexOf = new Map(w.tasks.map((t, i) => [t.id, i]));
  const ord = queueOrder(rows);
  const order = new Int32Array(w.tasks.length);
  const rankOf = new Int32Array(w.tasks.length);
  for (const [id, r] of ord) {
    order[r] = indexOf.get(id)!;
    rankOf[indexOf.get(id)!] = r;
  }
  const rt = runtimeOf(w, runId);
  const consumers = w.tasks.map((t) =>
    Int32Array.from((rt.consumers.get(t.id) ?? []).map((c) => indexOf.get(c)!)),
  );
  const sum = (fs: { size: number }[]) => fs.reduce((a, f) => a + f.size, 0);
  const seconds = input.pilots.map((p) =>
    Float64Array.from(w.tasks, (t) => {
      if (t.mode === "time") return t.length;
      if (!p.flopsPerCoreSecond)
        throw new Error(
          `task ${t.id} gives its length in FLOPs and ${p.label} has no FLOP rate to turn it into seconds`,
        );
      return t.length / (p.flopsPerCoreSecond * t.cores);
    }),
  );
  return {
    input,
    rt,
    order,
    rankOf,
    indexOf,
    consumers,
    hasDeps: w.tasks.some((t) => t.dependsOn.length > 0),
    bytesIn: Float64Array.from(w.tasks, (t) => sum(t.inputs)),
    bytesOut: Float64Array.from(w.tasks, (t) => sum(t.outputs)),
    seconds,
  };
}

function resetRows(rows: TaskRow[]): TaskRow[] {
  for (const r of rows) {
    r.state = "TMGR_SCHEDULING_PENDING";
    r.pilotId = null;
    r.attempt = 0;
    r.exitCode = null;
  }
  return rows;
}

const ACTIVE = 1;
const PILOT_END = 2;
const EXEC_END = 3;
const TASK_DONE = 4;

interface PilotSim {
  spec: SimPilot;
  row: PilotRow;
  activeAt: number | null;
  readyAt: number;
  channelAt: number;
  held: number;
  /** tasks handed over so far (the first `cores` are its first fill) */
  given: number;
  endAt: number | null;
  endKind: "walltime" | "failure";
}

const HOLDS = new Set([
  "TMGR_SCHEDULING",
  "TMGR_STAGING_INPUT",
  "AGENT_STAGING_INPUT",
  "AGENT_SCHEDULING",
  "AGENT_EXECUTING",
]);

export function simulateRun(input: SimInput, rng: Rng, prep: Prepared = prepare(input)): SimResult {
  const w = input.workload;
  const n = w.tasks.length;
  const runId = input.runId ?? "simulated";
  const rec = input.record ? new Recorder(runId, input.t0Ms ?? Date.UTC(2026, 0, 1)) : null;
  const rows = prep.rows ? resetRows(prep.rows) : taskRows(w);
  const byTaskId = new Map<string, TaskRow>(prep.hasDeps ? rows.map((r) => [r.taskId, r]) : []);
  const pilots: PilotSim[] = input.pilots.map((p, i) => ({
    spec: p,
    row: pilotRow(p, i, runId),
    activeAt: null,
    readyAt: 0,
    channelAt: 0,
    held: 0,
    given: 0,
    endAt: null,
    endKind: "walltime",
  }));
  const pilotIndex = new Map(pilots.map((p, i) => [p.row.id, i]));
  const heap = new EventHeap();
  const token = new Int32Array(n);
  const boundTo = new Int32Array(n).fill(-1);
  const bindAt = new Float64Array(n);
  const handAt = new Float64Array(n);
  const deliverAt = new Float64Array(n);
  const execStart = new Float64Array(n).fill(NaN);
  const doneAt = new Float64Array(n);
  const used = new Uint8Array(input.pilots.length);
  // every execution attempt (recorded as it ends, so in order of ends), and every stretch in which
  // a task attempt was handed over, executing or staging out (the "busy" time), for the terms
  const xs: number[] = [];
  const xe: number[] = [];
  const bs: number[] = [];
  const be: number[] = [];
  let finals = 0;
  let failedTasks = 0;
  let doneTasks = 0;
  let lastFinal = 0;
  let failure: string | undefined;
  let firstFailure: string | null = null;

  rec?.start(input, rows);
  // the wait queue, in the engine's order; bound entries are skipped and compacted away
  const queue = new WaitQueue(prep.rankOf);
  const addReady = (i: number) => queue.add(i);
  const finalize = (i: number, state: "DONE" | "FAILED" | "CANCELED", at: number, reason: string | null) => {
    rows[i]!.state = state;
    finals++;
    if (state === "DONE") doneTasks++;
    else {
      failedTasks++;
      firstFailure ??= reason;
    }
    lastFinal = Math.max(lastFinal, at);
    rec?.task(w.tasks[i]!.id, state, at, reason, { attempt: rows[i]!.attempt });
  };
  const checkReady = (idxs: Iterable<number>, at: number) => {
    const waiting: TaskRow[] = [];
    for (const i of idxs)
      if (rows[i]!.state === "TMGR_SCHEDULING_PENDING" && !queue.has(i)) waiting.push(rows[i]!);
    if (waiting.length === 0) return;
    const r = readiness(prep.rt, waiting, byTaskId);
    for (const t of r.ready) addReady(prep.indexOf.get(t.taskId)!);
    for (const b of r.blocked) {
      const i = prep.indexOf.get(b.task.taskId)!;
      finalize(
        i,
        "FAILED",
        at,
        `its input comes from ${b.by}, which ${byTaskId.get(b.by)?.state ?? "did not finish"}`,
      );
      for (const c of prep.consumers[i]!) checkReady([c], at);
    }
  };

  // tasks become ready, in the engine's order (stage, then task id); a task with no inputs from
  // other tasks is ready by readiness()'s definition, so only the others are put to it
  const withDeps: number[] = [];
  for (let q = 0; q < n; q++) {
    const i = prep.order[q]!;
    if (w.tasks[i]!.dependsOn.length === 0) addReady(i);
    else withDeps.push(i);
  }
  checkReady(withDeps, 0);
  // pilots: launched at once, submitted when their spec says, active after a drawn wait
  // waits are drawn in the order of the pilots' resource labels, not the plan's order: two plans on
  // the same resources then see the same queues (common random numbers), so their difference is theirs
  const drawOrder = pilots
    .map((_, k) => k)
    .sort((a, b) =>
      pilots[a]!.spec.label < pilots[b]!.spec.label
        ? -1
        : pilots[a]!.spec.label > pilots[b]!.spec.label
          ? 1
          : a - b,
    );
  const waits = new Array<number | null>(pilots.length);
  for (const k of drawOrder) waits[k] = drawWait(pilots[k]!.spec.wait, rng);
  for (let k = 0; k < pilots.length; k++) {
    const p = pilots[k]!;
    const wait = waits[k]!;
    rec?.pilot(p.row.id, "PMGR_LAUNCHING", 0, null, null);
    rec?.pilot(p.row.id, "PMGR_ACTIVE_PENDING", p.spec.submitAtS, null, { jobId: `sim-${k}` });
    p.row.state = "PMGR_ACTIVE_PENDING";
    if (wait !== null) heap.push(p.spec.submitAtS + wait, ACTIVE, k, 0);
  }

  const caps: Capacity[] = [];
  const capOf: Capacity[] = pilots.map((p) => ({ pilot: p.row, free: 0 }));
  let laterAt = 0;
  const bind = (t: number) => {
    caps.length = 0;
    for (let k = 0; k < pilots.length; k++) {
      const p = pilots[k]!;
      if (p.row.state !== "PMGR_ACTIVE") continue;
      const free = p.spec.cores + Math.ceil(p.spec.cores * input.prefetchShare) - p.held;
      if (free <= 0) continue;
      // one capacity object per pilot, reused: bind runs after every task that ends
      const c = capOf[k]!;
      c.free = free;
      caps.push(c);
    }
    if (caps.length === 0) return;
    queue.scan((i) => {
      // one task per call: bindLate is a sequential greedy pass, so calling it task by task in
      // queue order with the capacities left gives exactly its answer for the whole queue
      const got = bindLate([rows[i]!], caps);
      if (got.size === 0) return true;
      const pid = got.keys().next().value as string;
      const cap = caps.find((c) => c.pilot.id === pid)!;
      const k = cap.pilot.index;
      cap.free -= rows[i]!.cores;
      if (cap.free <= 0) caps.splice(caps.indexOf(cap), 1);
      queue.take(i);
      dispatch(i, k, t);
      return caps.length > 0;
    });
  };

  const dispatch = (i: number, k: number, t: number) => {
    const p = pilots[k]!;
    const row = rows[i]!;
    const o = p.spec.overheads;
    row.state = "TMGR_SCHEDULING";
    row.pilotId = p.row.id;
    boundTo[i] = k;
    p.held += row.cores;
    bindAt[i] = t;
    // a pilot's first fill goes through its own channel; later tasks, when a re-binding cost is
    // given, through one channel for the whole run (RADICAL-Pilot had one unit manager per run)
    const later = p.given >= p.spec.cores && o.laterPerTaskS !== undefined;
    p.given++;
    const start = Math.max(
      t + (later ? (o.rebindLatencyS ?? 0) : 0),
      p.readyAt,
      later ? laterAt : p.channelAt,
    );
    const end = start + (later ? o.laterPerTaskS! : o.perTaskS) + prep.bytesIn[i]! / o.bandwidthInBps;
    if (later) laterAt = end;
    else p.channelAt = end;
    handAt[i] = start;
    deliverAt[i] = end;
    rec?.task(w.tasks[i]!.id, "TMGR_SCHEDULING", t, null, { pilotId: p.row.id, attempt: row.attempt });
    // with no prefetch a bound task always has its cores on arrival; with prefetch it may wait in
    // the agent for the earliest cores to free up (hand-over is FIFO, so binding order is arrival order)
    const dur = prep.seconds[k]![i]! + o.execOverrunS;
    let x0 = end;
    if (input.prefetchShare > 0) {
      const list = coreFree[k]!;
      list.sort((a, b) => a - b);
      x0 = Math.max(end, list[Math.min(row.cores, list.length) - 1] ?? end);
      for (let c = 0; c < row.cores && c < list.length; c++) list[c] = x0 + dur;
    }
    execStart[i] = x0;
    if (rec) slotsOf[i] = takeSlots(k, row.cores, x0, x0 + dur);
    heap.push(x0 + dur, EXEC_END, i, token[i]!);
  };

  // core slots (recorded runs only, for the Gantt's lanes): per pilot, when each slot is next free;
  // a task takes the slots free at its start, lowest numbers first
  const slotFree: Float64Array[] = rec ? pilots.map((p) => new Float64Array(p.spec.cores)) : [];
  const slotsOf: number[][] = [];
  const takeSlots = (k: number, cores: number, from: number, until: number): number[] => {
    const free = slotFree[k]!;
    const got: number[] = [];
    for (let c = 0; c < free.length && got.length < cores; c++) if (free[c]! <= from + 1e-9) got.push(c);
    for (const c of got) free[c] = until;
    return got;
  };

  // prefetch path: per pilot, when each of its cores is next free (seconds)
  const coreFree: number[][] = pilots.map((p) =>
    input.prefetchShare > 0 ? new Array<number>(p.spec.cores).fill(0) : [],
  );

  const flushStart = (i: number, upTo: number) => {
    if (!rec) return;
    const id = w.tasks[i]!.id;
    const a = { pilotId: pilots[boundTo[i]!]!.row.id, attempt: rows[i]!.attempt };
    if (prep.bytesIn[i]! > 0 && handAt[i]! <= upTo) rec.task(id, "TMGR_STAGING_INPUT", handAt[i]!, null, a);
    if (deliverAt[i]! <= upTo) rec.task(id, "AGENT_STAGING_INPUT", deliverAt[i]!, null, a);
    if (deliverAt[i]! <= upTo && execStart[i]! > deliverAt[i]!)
      rec.task(id, "AGENT_SCHEDULING", deliverAt[i]!, null, a);
    if (execStart[i]! <= upTo)
      rec.task(id, "AGENT_EXECUTING", execStart[i]!, null, { ...a, slots: slotsOf[i] ?? [] });
  };

  const endPilot = (k: number, t: number, state: "DONE" | "FAILED" | "CANCELED", reason: string) => {
    const p = pilots[k]!;
    p.row.state = state;
    p.row.reason = reason;
    p.endAt = t;
    rec?.pilot(p.row.id, state, t, reason, null);
  };

  const stopIfStuck = (t: number): boolean => {
    const remaining = rows.filter(
      (r) => r.state !== "DONE" && r.state !== "FAILED" && r.state !== "CANCELED",
    );
    const why = stuckReason(
      pilots.map((p) => p.row),
      remaining,
    );
    if (!why) return false;
    failure = why;
    for (const r of remaining)
      if (r.state === "TMGR_SCHEDULING_PENDING")
        finalize(prep.indexOf.get(r.taskId)!, "CANCELED", t, `run stopped: ${why}`);
    return true;
  };

  const ev = { time: 0, kind: 0, a: 0, b: 0 };
  let now = 0;
  // the engine asks this on every tick; pilot events are the only times its answer can change
  stopIfStuck(0);
  while (finals < n && !failure && heap.pop(ev)) {
    now = ev.time;
    if (ev.kind === ACTIVE) {
      const k = ev.a;
      const p = pilots[k]!;
      if (p.row.state !== "PMGR_ACTIVE_PENDING") continue;
      p.row.state = "PMGR_ACTIVE";
      p.activeAt = now;
      p.row.activeAt = new Date(Math.round(now * 1000));
      p.readyAt = now + p.spec.overheads.startupS;
      p.channelAt = p.readyAt;
      rec?.pilot(p.row.id, "PMGR_ACTIVE", now, null, null);
      const fail = p.spec.failAfterActiveS;
      const wall = now + p.spec.walltimeS;
      if (fail !== undefined && now + fail < wall) {
        p.endKind = "failure";
        heap.push(now + fail, PILOT_END, k, 0);
      } else heap.push(wall, PILOT_END, k, 0);
      const nSurplus = input.pilots.filter((x) => x.surplus).length;
      const sur = surplusToCancel(
        pilots.map((x) => ({ id: x.row.id, state: x.row.state, activeAt: x.row.activeAt })),
        nSurplus,
      );
      for (const id of sur.ids) endPilot(pilotIndex.get(id)!, now, "CANCELED", sur.reason);
      bind(now);
      if (sur.ids.length) stopIfStuck(now);
    } else if (ev.kind === EXEC_END) {
      const i = ev.a;
      if (ev.b !== token[i]) continue;
      const k = boundTo[i]!;
      const p = pilots[k]!;
      const row = rows[i]!;
      const o = p.spec.overheads;
      flushStart(i, now);
      used[k] = 1;
      xs.push(execStart[i]!);
      xe.push(now);
      p.held -= row.cores;
      row.state = "AGENT_STAGING_OUTPUT";
      row.exitCode = 0;
      rec?.task(w.tasks[i]!.id, "AGENT_STAGING_OUTPUT", now, null, { attempt: row.attempt, exitCode: 0 });
      const out = prep.bytesOut[i]!;
      const done = now + o.stageOutS + out / o.bandwidthOutBps;
      if (out > 0)
        rec?.task(w.tasks[i]!.id, "TMGR_STAGING_OUTPUT", now + o.stageOutS, null, { attempt: row.attempt });
      // one busy stretch from hand-over to collection, split where it waited in the agent for cores
      if (execStart[i]! > deliverAt[i]!) {
        bs.push(handAt[i]!, execStart[i]!);
        be.push(deliverAt[i]!, done);
      } else {
        bs.push(handAt[i]!);
        be.push(done);
      }
      doneAt[i] = done;
      if (prep.consumers[i]!.length > 0) heap.push(done, TASK_DONE, i, token[i]!);
      else finalize(i, "DONE", done, null);
      bind(now);
    } else if (ev.kind === TASK_DONE) {
      const i = ev.a;
      finalize(i, "DONE", now, null);
      checkReady(prep.consumers[i]!, now);
      bind(now);
    } else if (ev.kind === PILOT_END) {
      const k = ev.a;
      const p = pilots[k]!;
      if (p.row.state !== "PMGR_ACTIVE") continue;
      const failed = p.endKind === "failure";
      // the agent's own exit at its walltime is a normal end for the engine; a what-if failure is not
      endPilot(
        k,
        now,
        failed ? "FAILED" : agentExitState("walltime"),
        failed ? "pilot failed (simulated what-if)" : "agent exited: walltime",
      );
      const held: TaskRow[] = [];
      for (let i = 0; i < n; i++) {
        const r = rows[i]!;
        if (boundTo[i] !== k || !HOLDS.has(r.state)) continue;
        r.state =
          execStart[i]! <= now
            ? "AGENT_EXECUTING"
            : deliverAt[i]! <= now
              ? "AGENT_SCHEDULING"
              : "TMGR_SCHEDULING";
        held.push(r);
      }
      for (const v of onPilotEnded(p.row, held, input.maxRetries)) {
        const i = prep.indexOf.get(v.task.taskId)!;
        flushStart(i, now);
        if (execStart[i]! <= now) {
          xs.push(execStart[i]!);
          xe.push(now);
        }
        if (handAt[i]! < now) {
          bs.push(handAt[i]!);
          be.push(execStart[i]! <= now ? now : Math.min(deliverAt[i]!, now));
        }
        token[i]!++;
        p.held -= v.task.cores;
        if (v.action === "fail") {
          finalize(i, "FAILED", now, v.reason);
          checkReady(prep.consumers[i]!, now);
          continue;
        }
        const row = rows[i]!;
        if (v.action === "retry") row.attempt += 1;
        row.state = "TMGR_SCHEDULING_PENDING";
        row.pilotId = null;
        boundTo[i] = -1;
        rec?.task(w.tasks[i]!.id, "TMGR_SCHEDULING_PENDING", now, v.reason, {
          fromPilotId: p.row.id,
          attempt: row.attempt,
        });
        addReady(i);
      }
      bind(now);
      stopIfStuck(now);
    }
  }

  let tEnd: number;
  if (finals >= n) tEnd = lastFinal + input.endS;
  else {
    // nothing left to happen but tasks remain: the pilots that could run them never start
    tEnd = Math.max(now, lastFinal);
    if (!failure) {
      const pending = pilots.filter((p) => p.row.state === "PMGR_ACTIVE_PENDING").map((p) => p.spec.label);
      failure = `no pilot is left to run the ${n - finals} remaining task(s)${pending.length ? `; ${pending.join(", ")} never became active` : ""}`;
      for (const r of rows)
        if (r.state === "TMGR_SCHEDULING_PENDING")
          finalize(prep.indexOf.get(r.taskId)!, "CANCELED", tEnd, `run stopped: ${failure}`);
    }
  }
  let coreHours = 0;
  let firstActive = Infinity;
  let pilotsActive = 0;
  for (let k = 0; k < pilots.length; k++) {
    const p = pilots[k]!;
    if (p.row.state === "PMGR_ACTIVE")
      endPilot(k, Math.min(tEnd, p.activeAt! + p.spec.walltimeS), "DONE", "the run finished; pilot released");
    else if (p.row.state === "PMGR_ACTIVE_PENDING")
      endPilot(k, tEnd, "CANCELED", "the run finished; pilot released");
    if (p.activeAt !== null) {
      pilotsActive++;
      firstActive = Math.min(firstActive, p.activeAt);
      coreHours += (p.spec.cores * Math.max(0, (p.endAt ?? tEnd) - p.activeAt)) / 3600;
    }
  }
  rec?.run(
    failure || failedTasks > 0 ? "FAILED" : "DONE",
    tEnd,
    failure ?? (failedTasks > 0 ? `${failedTasks} of ${n} task(s) failed` : `all ${n} task(s) done`),
  );

  // a run in which tasks failed has failed, even when the rest finished
  if (!failure && failedTasks > 0)
    failure = `${failedTasks} of ${n} task(s) failed: ${firstFailure ?? "no reason recorded"}`;
  return {
    ttc: tEnd,
    terms: termsOf(tEnd, firstActive, { xs, xe, bs, be }),
    coreHours,
    tasksDone: doneTasks,
    tasksFailed: failedTasks,
    pilotsActive,
    pilotsUsed: used.reduce((a, b) => a + b, 0),
    ...(failure ? { failed: failure } : {}),
    events: rec ? rec.events() : [],
  };
}
