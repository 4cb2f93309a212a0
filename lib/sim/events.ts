import type { TaskRow } from "../engine/context";
import { agentExitState, onPilotEnded } from "../engine/decide";
import { surplusToCancel } from "../engine/surplus";
import { TASK_HOLDS_CORES, type TaskState } from "../states/task";
import { bind } from "./bind";
import {
  checkReady,
  endPilot,
  finalize,
  PILOT_END,
  setState,
  stopIfStuck,
  TASK_DONE,
  type SimState,
} from "./state";

/**
 * What each event of a simulated run does, with the engine's own decisions: a pilot becoming
 * active (surplus pilots cancelled by `surplusToCancel`), a task's execution ending (its cores
 * free, as TASK_HOLDS_CORES says for AGENT_STAGING_OUTPUT), its outputs collected, and a pilot's
 * end (its tasks rebound, retried or failed by `onPilotEnded`). Binding follows each of them.
 */

const HOLDS: ReadonlySet<TaskState> = new Set(TASK_HOLDS_CORES);

export function onActive(s: SimState, k: number, now: number): void {
  const p = s.pilots[k]!;
  if (p.row.state !== "PMGR_ACTIVE_PENDING") return;
  p.row.state = "PMGR_ACTIVE";
  p.activeAt = now;
  p.row.activeAt = new Date(Math.round(now * 1000));
  p.readyAt = now + p.spec.overheads.startupS;
  p.channelAt = p.readyAt;
  s.rec?.pilot(p.row.id, "PMGR_ACTIVE", now, null, null);
  const fail = p.spec.failAfterActiveS;
  const wall = now + p.spec.walltimeS;
  if (fail !== undefined && now + fail < wall) {
    p.endKind = "failure";
    s.heap.push(now + fail, PILOT_END, k, 0);
  } else s.heap.push(wall, PILOT_END, k, 0);
  const nSurplus = s.prep.input.pilots.filter((x) => x.surplus).length;
  const sur = surplusToCancel(
    s.pilots.map((x) => ({ id: x.row.id, state: x.row.state, activeAt: x.row.activeAt })),
    nSurplus,
  );
  for (const id of sur.ids) endPilot(s, s.pilotIndex.get(id)!, now, "CANCELED", sur.reason);
  bind(s, now);
  if (sur.ids.length) stopIfStuck(s, now);
}

export function onExecEnd(s: SimState, i: number, now: number): void {
  const k = s.boundTo[i]!;
  const p = s.pilots[k]!;
  const row = s.rows[i]!;
  const o = p.spec.overheads;
  const id = s.prep.input.workload.tasks[i]!.id;
  recordStart(s, i, now);
  s.used[k] = 1;
  s.iv.xs.push(s.execStart[i]!);
  s.iv.xe.push(now);
  setState(s, i, "AGENT_STAGING_OUTPUT");
  row.exitCode = 0;
  s.rec?.task(id, "AGENT_STAGING_OUTPUT", now, null, { attempt: row.attempt, exitCode: 0 });
  const out = s.prep.bytesOut[i]!;
  const done = now + o.stageOutS + out / o.bandwidthOutBps;
  if (out > 0) s.rec?.task(id, "TMGR_STAGING_OUTPUT", now + o.stageOutS, null, { attempt: row.attempt });
  // one busy stretch from hand-over to collection, split where it waited in the agent for cores
  const { bs, be } = s.iv;
  if (s.execStart[i]! > s.deliverAt[i]!) {
    bs.push(s.handAt[i]!, s.execStart[i]!);
    be.push(s.deliverAt[i]!, done);
  } else {
    bs.push(s.handAt[i]!);
    be.push(done);
  }
  if (s.prep.consumers[i]!.length > 0) s.heap.push(done, TASK_DONE, i, s.token[i]!);
  else finalize(s, i, "DONE", done, null);
  bind(s, now);
}

/** A task others read from is collected: they may now be ready. */
export function onTaskDone(s: SimState, i: number, now: number): void {
  finalize(s, i, "DONE", now, null);
  checkReady(s, s.prep.consumers[i]!, now);
  bind(s, now);
}

export function onPilotEnd(s: SimState, k: number, now: number): void {
  const p = s.pilots[k]!;
  if (p.row.state !== "PMGR_ACTIVE") return;
  const failed = p.endKind === "failure";
  // the agent's own exit at its walltime is a normal end for the engine; a what-if failure is not
  endPilot(
    s,
    k,
    now,
    failed ? "FAILED" : agentExitState("walltime"),
    failed ? "pilot failed (simulated what-if)" : "agent exited: walltime",
  );
  // the tasks it held, in the state the engine would have seen at that moment
  const held: TaskRow[] = [];
  for (let i = 0; i < s.n; i++) {
    if (s.boundTo[i] !== k || !HOLDS.has(s.rows[i]!.state)) continue;
    setState(
      s,
      i,
      s.execStart[i]! <= now
        ? "AGENT_EXECUTING"
        : s.deliverAt[i]! <= now
          ? "AGENT_SCHEDULING"
          : "TMGR_SCHEDULING",
    );
    held.push(s.rows[i]!);
  }
  for (const v of onPilotEnded(p.row, held, s.prep.input.maxRetries)) {
    const i = s.prep.indexOf.get(v.task.taskId)!;
    abandonAttempt(s, i, now);
    if (v.action === "fail") {
      finalize(s, i, "FAILED", now, v.reason);
      s.boundTo[i] = -1;
      checkReady(s, s.prep.consumers[i]!, now);
      continue;
    }
    const row = s.rows[i]!;
    if (v.action === "retry") row.attempt += 1;
    setState(s, i, "TMGR_SCHEDULING_PENDING");
    row.pilotId = null;
    s.boundTo[i] = -1;
    s.rec?.task(s.prep.input.workload.tasks[i]!.id, "TMGR_SCHEDULING_PENDING", now, v.reason, {
      fromPilotId: p.row.id,
      attempt: row.attempt,
    });
    s.queue.add(i);
  }
  bind(s, now);
  stopIfStuck(s, now);
}

/** An attempt cut by its pilot's end: what it did so far counts, its pending events no longer do. */
function abandonAttempt(s: SimState, i: number, now: number): void {
  recordStart(s, i, now);
  if (s.execStart[i]! <= now) {
    s.iv.xs.push(s.execStart[i]!);
    s.iv.xe.push(now);
  }
  if (s.handAt[i]! < now) {
    s.iv.bs.push(s.handAt[i]!);
    s.iv.be.push(s.execStart[i]! <= now ? now : Math.min(s.deliverAt[i]!, now));
  }
  s.token[i]!++;
}

/** Recorded runs: the states an attempt passed through up to `upTo`, learnt only once it ends or is cut. */
function recordStart(s: SimState, i: number, upTo: number): void {
  const rec = s.rec;
  if (!rec) return;
  const id = s.prep.input.workload.tasks[i]!.id;
  const a = { pilotId: s.pilots[s.boundTo[i]!]!.row.id, attempt: s.rows[i]!.attempt };
  const { handAt, deliverAt, execStart } = s;
  if (s.prep.bytesIn[i]! > 0 && handAt[i]! <= upTo) rec.task(id, "TMGR_STAGING_INPUT", handAt[i]!, null, a);
  if (deliverAt[i]! <= upTo) rec.task(id, "AGENT_STAGING_INPUT", deliverAt[i]!, null, a);
  if (deliverAt[i]! <= upTo && execStart[i]! > deliverAt[i]!)
    rec.task(id, "AGENT_SCHEDULING", deliverAt[i]!, null, a);
  if (execStart[i]! <= upTo)
    rec.task(id, "AGENT_EXECUTING", execStart[i]!, null, { ...a, slots: s.slotsOf[i] ?? [] });
}
