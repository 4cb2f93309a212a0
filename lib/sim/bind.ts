import { bindLate, prefetchFor } from "../engine/decide";
import { EXEC_END, setState, type SimState } from "./state";

/**
 * Late binding as the engine does it, whenever cores may have freed up: every active pilot's
 * capacity is its cores plus the engine's own `prefetchFor` (sized by the mean length of the
 * ready tasks and the engine's tick) less the cores its bound tasks hold; tasks go to pilots by
 * the engine's `bindLate`, in its queue order. Then each bound task is handed over.
 */

export function bind(s: SimState, t: number): void {
  const caps = s.caps;
  caps.length = 0;
  const share = s.prep.input.prefetchShare;
  const mean = s.queue.meanLength();
  for (const p of s.pilots) {
    if (p.row.state !== "PMGR_ACTIVE") continue;
    const extra = s.prefetch ? prefetchFor(p.spec.cores, mean, { share, tickS: s.tickS }) : 0;
    const free = p.spec.cores + extra - p.held;
    if (free <= 0) continue;
    // one capacity object per pilot, reused: bind runs after every task that ends
    p.cap.free = free;
    caps.push(p.cap);
  }
  if (caps.length === 0) return;
  s.queue.scan((i) => {
    // one task per call: bindLate is a sequential greedy pass, so calling it task by task in
    // queue order with the capacities left gives exactly its answer for the whole queue
    const got = bindLate([s.rows[i]!], caps);
    if (got.size === 0) return true;
    const pid = got.keys().next().value as string;
    const cap = caps.find((c) => c.pilot.id === pid)!;
    cap.free -= s.rows[i]!.cores;
    if (cap.free <= 0) caps.splice(caps.indexOf(cap), 1);
    s.queue.take(i);
    handOver(s, i, cap.pilot.index, t);
    return caps.length > 0;
  });
}

/**
 * A bound task's way to its pilot's cores: through the pilot's hand-over channel (its first fill)
 * or the run's one re-binding channel (later tasks, when a re-binding cost is given: RADICAL-Pilot
 * had one unit manager per run), with its input bytes; then, with prefetch, waiting in the agent
 * for the earliest cores to free up.
 */
function handOver(s: SimState, i: number, k: number, t: number): void {
  const p = s.pilots[k]!;
  const row = s.rows[i]!;
  const o = p.spec.overheads;
  s.boundTo[i] = k;
  setState(s, i, "TMGR_SCHEDULING");
  row.pilotId = p.row.id;
  const later = p.given >= p.spec.cores && o.laterPerTaskS !== undefined;
  p.given++;
  const start = Math.max(
    t + (later ? (o.rebindLatencyS ?? 0) : 0),
    p.readyAt,
    later ? s.laterAt : p.channelAt,
  );
  const end = start + (later ? o.laterPerTaskS! : o.perTaskS) + s.prep.bytesIn[i]! / o.bandwidthInBps;
  if (later) s.laterAt = end;
  else p.channelAt = end;
  s.handAt[i] = start;
  s.deliverAt[i] = end;
  s.rec?.task(s.prep.input.workload.tasks[i]!.id, "TMGR_SCHEDULING", t, null, {
    pilotId: p.row.id,
    attempt: row.attempt,
  });
  // with no prefetch a bound task always has its cores on arrival; with prefetch it may wait in
  // the agent for the earliest cores to free up (hand-over is FIFO, so binding order is arrival order)
  const dur = s.prep.seconds[k]![i]! + o.execOverrunS;
  const x0 = p.agent ? p.agent.start(row.cores, end, dur) : end;
  s.execStart[i] = x0;
  if (p.slotFree) s.slotsOf[i] = takeSlots(p.slotFree, row.cores, x0, x0 + dur);
  s.heap.push(x0 + dur, EXEC_END, i, s.token[i]!);
}

/** Core slots for the Gantt's lanes: the task takes the slots free at its start, lowest numbers first. */
function takeSlots(free: Float64Array, cores: number, from: number, until: number): number[] {
  const got: number[] = [];
  for (let c = 0; c < free.length && got.length < cores; c++) if (free[c]! <= from + 1e-9) got.push(c);
  for (const c of got) free[c] = until;
  return got;
}
