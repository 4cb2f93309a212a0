import type { RunEvent } from "../model/event";
import { emptyView, foldEvents, type RunView } from "./fold";
import { unionLength, type Interval } from "./intervals";
import { maxOf, minOf, pushAll } from "../util/extent";

/**
 * Run statistics, radical.analytics style (seconds). TTC: first event → last event of the run.
 * TTQ: union of pilot queue waits (PMGR_ACTIVE_PENDING → PMGR_ACTIVE, or → end for a pilot
 * that never started). TTX: union of task execution spans. OVH = TTC − TTX. Utilisation of
 * the cores the active pilots provided: application (tasks executing), system (cores held by
 * bound tasks not executing) and idle, summing to 100 %. Bad timestamps are reported, not summed.
 */
export interface PilotStats {
  id: string;
  label: string;
  cores: number;
  state: string;
  reason: string | null;
  becameActive: boolean;
  queueWait: number | null;
  activeTime: number;
  coreSecondsProvided: number;
  coreSecondsUsed: number;
  tasksRun: number;
}

export interface TaskStats {
  id: string;
  stage: string;
  state: string;
  attempts: number;
  pilotId: string | null;
  exitCode: number | null;
  wait: number | null;
  execution: number | null;
  /** last attempt: inputs into the sandbox (TMGR_STAGING_INPUT → executing), seconds */
  stagingIn: number | null;
  /** last attempt: outputs back to the run directory (AGENT_STAGING_OUTPUT → DONE), seconds */
  stagingOut: number | null;
}

export interface RunStats {
  ttc: number;
  ttq: number;
  ttx: number;
  ovh: number;
  utilisation: { application: number; system: number; idle: number };
  pilots: PilotStats[];
  tasks: TaskStats[];
  stages: { name: string; tasks: number; span: number; throughput: number }[];
  counts: { done: number; failed: number; canceled: number; total: number };
  problems: string[];
}

const s = (ms: number) => ms / 1000;

export function computeStats(events: readonly RunEvent[], view: RunView = foldEvents(emptyView(), events)): RunStats {
  const problems: string[] = [];
  for (const e of events) if (!Number.isFinite(e.at) || e.at <= 0) problems.push(`event ${e.seq} (${e.entity} ${e.entityId} → ${e.to}) has no valid time`);
  const t0 = view.t0 ?? 0;
  const tEnd = view.lastAt ?? t0;
  const pilots: PilotStats[] = [];
  const queueIntervals: Interval[] = [];
  const execIntervals: Interval[] = [];
  let provided = 0;
  let used = 0;
  let held = 0;
  for (const p of view.pilots.values()) {
    const q = p.enteredAt.PMGR_ACTIVE_PENDING;
    const a = p.enteredAt.PMGR_ACTIVE;
    const endSeg = p.segments[p.segments.length - 1]?.end ?? tEnd;
    if (q !== undefined) queueIntervals.push([q, a ?? endSeg]);
    const activeTime = a !== undefined ? Math.max(0, endSeg - a) : 0;
    if (a !== undefined && endSeg < a) problems.push(`pilot ${p.label} ends before it became active`);
    const pilotExec: Interval[] = [];
    let usedHere = 0;
    let tasksRun = 0;
    for (const t of view.tasks.values()) {
      for (const sp of t.spans) {
        if (sp.pilotId !== p.id || sp.start === null) continue;
        const end = sp.end ?? tEnd;
        if (end < sp.start) {
          problems.push(`task ${t.id} attempt ${sp.attempt + 1} ends before it starts`);
          continue;
        }
        pilotExec.push([sp.start, end]);
        usedHere += (end - sp.start) * Math.max(1, sp.slots.length || t.cores);
        tasksRun += 1;
      }
      // cores held while bound but not executing: from binding to the start of execution
      const bound = t.history.find((h) => h.state === "TMGR_SCHEDULING");
      const first = t.spans.find((x) => x.pilotId === p.id);
      if (bound && first?.start && t.pilotId === p.id) held += Math.max(0, first.start - bound.at) * t.cores;
    }
    pushAll(execIntervals, pilotExec);
    provided += activeTime * p.cores;
    used += usedHere;
    pilots.push({
      id: p.id, label: p.label, cores: p.cores, state: p.state, reason: p.reason, becameActive: a !== undefined,
      queueWait: q !== undefined ? s((a ?? endSeg) - q) : null, activeTime: s(activeTime), coreSecondsProvided: s(activeTime * p.cores), coreSecondsUsed: s(usedHere), tasksRun,
    });
  }
  const tasks: TaskStats[] = [...view.tasks.values()].map((t) => {
    const created = t.history[0]?.at ?? null;
    const firstExec = t.spans[0]?.start ?? null;
    const last = t.spans[t.spans.length - 1];
    return {
      id: t.id, stage: t.stage, state: t.state, attempts: t.attempt + 1, pilotId: last?.pilotId ?? t.pilotId, exitCode: last?.exitCode ?? null,
      wait: created !== null && firstExec !== null ? s(firstExec - created) : null, execution: last?.start ? s((last.end ?? tEnd) - last.start) : null,
      ...stagingOf(t.history),
    };
  });
  // one pass over the tasks for all stages (a 10,000-stage run would otherwise scan every task per stage)
  const perStage = new Map<string, { n: number; first: number; last: number; any: boolean }>(view.stages.map((name) => [name, { n: 0, first: Infinity, last: -Infinity, any: false }]));
  for (const t of view.tasks.values()) {
    const acc = perStage.get(t.stage);
    if (!acc) continue;
    acc.n += 1;
    for (const sp of t.spans) {
      if (sp.start === null) continue;
      acc.any = true;
      acc.first = Math.min(acc.first, sp.start);
      acc.last = Math.max(acc.last, sp.end ?? tEnd);
    }
  }
  const stages = view.stages.map((name) => {
    const acc = perStage.get(name)!;
    const span = acc.any ? s(acc.last - acc.first) : 0;
    return { name, tasks: acc.n, span, throughput: span > 0 ? acc.n / span : 0 };
  });
  const ttc = s(tEnd - t0);
  const ttx = s(unionLength(execIntervals));
  const app = provided > 0 ? (used / provided) * 100 : 0;
  const sys = provided > 0 ? Math.min(100 - app, (held / provided) * 100) : 0;
  const count = (st: string) => tasks.filter((t) => t.state === st).length;
  return {
    ttc, ttq: s(unionLength(queueIntervals)), ttx, ovh: ttc - ttx,
    utilisation: { application: app, system: sys, idle: provided > 0 ? 100 - app - sys : 0 },
    pilots, tasks, stages, counts: { done: count("DONE"), failed: count("FAILED"), canceled: count("CANCELED"), total: tasks.length }, problems,
  };
}

const n0 = (x: number) => Math.round(x).toLocaleString("en");

/** One paragraph a person can read: "4 pilots requested, 3 became active after 46–136 s; …". */
export function plainReport(st: RunStats): string {
  const active = st.pilots.filter((p) => p.becameActive);
  const waits = active.map((p) => p.queueWait ?? 0);
  const pilotsPart = `${st.pilots.length} pilot${st.pilots.length === 1 ? "" : "s"} requested, ${active.length} became active${active.length ? ` after ${n0(minOf(waits))}${waits.length > 1 && maxOf(waits) !== minOf(waits) ? `–${n0(maxOf(waits))}` : ""} s` : ""}`;
  const tasksPart = `${st.counts.done} task${st.counts.done === 1 ? "" : "s"} done, ${st.counts.failed} failed${st.counts.canceled ? `, ${st.counts.canceled} cancelled` : ""}`;
  return `${pilotsPart}; ${tasksPart}; TTC ${n0(st.ttc)} s of which ${n0(st.ttx)} s execution.`;
}

/** Staging of a task's last attempt, from its history (the last time it entered each state). */
function stagingOf(h: readonly { state: string; at: number }[]): { stagingIn: number | null; stagingOut: number | null } {
  const lastAt = (state: string) => {
    for (let i = h.length - 1; i >= 0; i--) if (h[i]!.state === state) return h[i]!.at;
    return null;
  };
  const inStart = lastAt("TMGR_STAGING_INPUT");
  const exec = lastAt("AGENT_EXECUTING");
  const outStart = lastAt("AGENT_STAGING_OUTPUT");
  const done = lastAt("DONE");
  return {
    stagingIn: inStart !== null && exec !== null && exec >= inStart ? (exec - inStart) / 1000 : null,
    stagingOut: outStart !== null && done !== null && done >= outStart ? (done - outStart) / 1000 : null,
  };
}
