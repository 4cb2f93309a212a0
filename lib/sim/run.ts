import type { Rng } from "../skeleton/rng";
import { onActive, onExecEnd, onPilotEnd, onTaskDone } from "./events";
import { finish } from "./finish";
import { prepare, type Prepared } from "./prepare";
import {
  ACTIVE,
  checkReady,
  createState,
  EXEC_END,
  PILOT_END,
  stopIfStuck,
  TASK_DONE,
  type SimState,
} from "./state";
import type { SimInput, SimResult } from "./types";
import { drawWait } from "./waits";

export { prepare, type Prepared } from "./prepare";

/**
 * A discrete-event simulation of one run, as the engine would drive it: pilots submitted and
 * waiting in their queues, agents starting, tasks bound late by the engine's own `bindLate`
 * (in its queue order, whenever cores free up), handed over one at a time per pilot with their
 * input bytes, executing, staging out; walltime expiry and pilot failure handled by the
 * engine's `onPilotEnded` (rebind, retry or fail) and `stuckReason`. Pure: the same input and
 * random stream give the same result.
 */
export function simulateRun(input: SimInput, rng: Rng, prep: Prepared = prepare(input)): SimResult {
  const s = createState(prep.input === input ? prep : { ...prep, input });
  s.rec?.start(input, s.rows);
  queueFirstTasks(s);
  submitPilots(s, rng);
  const ev = { time: 0, kind: 0, a: 0, b: 0 };
  let now = 0;
  // the engine asks this on every tick; pilot events are the only times its answer can change
  stopIfStuck(s, 0);
  while (s.finals < s.n && !s.failure && s.heap.pop(ev)) {
    now = ev.time;
    if (ev.kind === ACTIVE) onActive(s, ev.a, now);
    else if (ev.kind === PILOT_END) onPilotEnd(s, ev.a, now);
    // a task's events from an attempt its pilot's end abandoned are ignored
    else if (ev.b !== s.token[ev.a]) continue;
    else if (ev.kind === EXEC_END) onExecEnd(s, ev.a, now);
    else if (ev.kind === TASK_DONE) onTaskDone(s, ev.a, now);
  }
  return finish(s, now);
}

/**
 * Tasks become ready in the engine's order (stage, then task id); a task with no inputs from
 * other tasks is ready by readiness()'s definition, so only the others are put to it.
 */
function queueFirstTasks(s: SimState): void {
  const tasks = s.prep.input.workload.tasks;
  const withDeps: number[] = [];
  for (let q = 0; q < s.n; q++) {
    const i = s.prep.order[q]!;
    if (tasks[i]!.dependsOn.length === 0) s.queue.add(i);
    else withDeps.push(i);
  }
  checkReady(s, withDeps, 0);
}

/**
 * Pilots are launched at once, submitted when their spec says, active after a drawn wait. Waits
 * are drawn in the order of the pilots' resource labels, not the plan's order: two plans on the
 * same resources then see the same queues (common random numbers), so their difference is theirs.
 */
function submitPilots(s: SimState, rng: Rng): void {
  const ps = s.pilots;
  const drawOrder = ps
    .map((_, k) => k)
    .sort((a, b) =>
      ps[a]!.spec.label < ps[b]!.spec.label ? -1 : ps[a]!.spec.label > ps[b]!.spec.label ? 1 : a - b,
    );
  const waits = new Array<number | null>(ps.length);
  for (const k of drawOrder) waits[k] = drawWait(ps[k]!.spec.wait, rng);
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k]!;
    const wait = waits[k]!;
    s.rec?.pilot(p.row.id, "PMGR_LAUNCHING", 0, null, null);
    s.rec?.pilot(p.row.id, "PMGR_ACTIVE_PENDING", p.spec.submitAtS, null, { jobId: `sim-${k}` });
    p.row.state = "PMGR_ACTIVE_PENDING";
    if (wait !== null) s.heap.push(p.spec.submitAtS + wait, ACTIVE, k, 0);
  }
}
