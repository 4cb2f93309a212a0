import type { RunEvent } from "../model/event";
import { emptyView, foldEvents, type RunView } from "./fold";
import { unionLength, type Interval } from "./intervals";
import { maxOf, minOf } from "../util/extent";
import { splitCores, type CoreUse } from "./cores";
import { formatDuration } from "./duration";

/**
 * Run statistics, radical.analytics style (seconds; docs/statistics.md). TTC: first event → last
 * event of the run. TTQ: union of the queue waits (PMGR_ACTIVE_PENDING → PMGR_ACTIVE) of the
 * pilots that became active; pilots that never did are reported beside it (`neverActive`), their
 * waits in `ttqNeverActive`, because a pilot that never starts would otherwise make TTQ = TTC.
 * TTX: union of task execution spans. OVH = TTC − TTX. Utilisation of the cores the active pilots
 * provided (lib/stats/cores.ts): application + system + idle = 100 %. Bad timestamps are
 * reported, not summed.
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
  /** core-seconds held by bound tasks that were not executing (staging, hand-over to the agent) */
  coreSecondsSystem: number;
  coreSecondsIdle: number;
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
  /** last attempt: inputs into the sandbox and handed to the agent (TMGR_STAGING_INPUT → AGENT_STAGING_INPUT), seconds */
  stagingIn: number | null;
  /** last attempt: in the agent waiting for free cores on its pilot (AGENT_STAGING_INPUT → AGENT_EXECUTING), seconds */
  coreWait: number | null;
  /** last attempt: outputs back to the run directory (AGENT_STAGING_OUTPUT → DONE), seconds */
  stagingOut: number | null;
}

export interface RunStats {
  ttc: number;
  /** union of the queue waits of the pilots that became active */
  ttq: number;
  /** union of the waits of the pilots that have not become active (submitted → their end, or → now while queued) */
  ttqNeverActive: number;
  /** pilots that have not become active: ended without starting, or (live run) still waiting */
  neverActive: number;
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
const PILOT_ENDED = new Set(["DONE", "FAILED", "CANCELED"]);
const ENDS_BINDING = new Set([
  "AGENT_EXECUTING",
  "AGENT_STAGING_OUTPUT",
  "TMGR_STAGING_OUTPUT",
  "TMGR_SCHEDULING_PENDING",
  "DONE",
  "FAILED",
  "CANCELED",
]);

/** Per pilot: the cores its tasks executed on and the cores bound tasks held before executing. */
function coreUses(view: RunView, tEnd: number, problems: string[]) {
  const byPilot = new Map<string, { exec: CoreUse[]; bound: CoreUse[]; tasksRun: number }>();
  const of = (id: string) =>
    byPilot.get(id) ?? byPilot.set(id, { exec: [], bound: [], tasksRun: 0 }).get(id)!;
  const execIntervals: Interval[] = [];
  for (const t of view.tasks.values()) {
    for (const sp of t.spans) {
      if (sp.pilotId === null || sp.start === null) continue;
      const end = sp.end ?? tEnd;
      if (end < sp.start) {
        problems.push(`task ${t.id} attempt ${sp.attempt + 1} ends before it starts`);
        continue;
      }
      const u = of(sp.pilotId);
      u.exec.push({ start: sp.start, end, cores: Math.max(1, sp.slots.length || t.cores) });
      u.tasksRun += 1;
      execIntervals.push([sp.start, end]);
    }
    // bound → executing (or back to the wait queue, or ended): cores reserved on that pilot
    let open: { pilot: string; at: number } | null = null;
    for (const h of t.history) {
      if (open && ENDS_BINDING.has(h.state)) {
        of(open.pilot).bound.push({ start: open.at, end: h.at, cores: t.cores });
        open = null;
      }
      if (h.state === "TMGR_SCHEDULING" && h.pilotId) open = { pilot: h.pilotId, at: h.at };
    }
    if (open) of(open.pilot).bound.push({ start: open.at, end: tEnd, cores: t.cores });
  }
  return { byPilot, execIntervals };
}

export function computeStats(
  events: readonly RunEvent[],
  view: RunView = foldEvents(emptyView(), events),
): RunStats {
  const problems: string[] = [];
  for (const e of events)
    if (!Number.isFinite(e.at) || e.at <= 0)
      problems.push(`event ${e.seq} (${e.entity} ${e.entityId} → ${e.to}) has no valid time`);
  const t0 = view.t0 ?? 0;
  const tEnd = view.lastAt ?? t0;
  const { byPilot, execIntervals } = coreUses(view, tEnd, problems);
  const pilots: PilotStats[] = [];
  const queueActive: Interval[] = [];
  const queueNever: Interval[] = [];
  const total = { provided: 0, application: 0, system: 0 };
  for (const p of view.pilots.values()) {
    const q = p.enteredAt.PMGR_ACTIVE_PENDING;
    const a = p.enteredAt.PMGR_ACTIVE;
    const endSeg = p.segments[p.segments.length - 1]?.end ?? tEnd;
    if (q !== undefined) (a !== undefined ? queueActive : queueNever).push([q, a ?? endSeg]);
    if (a !== undefined && endSeg < a) problems.push(`pilot ${p.label} ends before it became active`);
    const uses = byPilot.get(p.id) ?? { exec: [], bound: [], tasksRun: 0 };
    const split = splitCores(
      a !== undefined ? [a, Math.max(a, endSeg)] : null,
      p.cores,
      uses.exec,
      uses.bound,
    );
    total.provided += split.provided;
    total.application += split.application;
    total.system += split.system;
    pilots.push({
      id: p.id,
      label: p.label,
      cores: p.cores,
      state: p.state,
      reason: p.reason,
      becameActive: a !== undefined,
      queueWait: q !== undefined ? s(Math.max(0, (a ?? endSeg) - q)) : null,
      activeTime: a !== undefined ? s(Math.max(0, endSeg - a)) : 0,
      coreSecondsProvided: s(split.provided),
      coreSecondsUsed: s(split.application),
      coreSecondsSystem: s(split.system),
      coreSecondsIdle: s(split.idle),
      tasksRun: uses.tasksRun,
    });
  }
  const tasks: TaskStats[] = [...view.tasks.values()].map((t) => {
    const created = t.history[0]?.at ?? null;
    const firstExec = t.spans[0]?.start ?? null;
    const last = t.spans[t.spans.length - 1];
    return {
      id: t.id,
      stage: t.stage,
      state: t.state,
      attempts: t.attempt + 1,
      pilotId: last?.pilotId ?? t.pilotId,
      exitCode: last?.exitCode ?? null,
      wait: created !== null && firstExec !== null ? s(firstExec - created) : null,
      execution: last?.start ? s((last.end ?? tEnd) - last.start) : null,
      ...stagingOf(t.history),
    };
  });
  // one pass over the tasks for all stages (a 10,000-stage run would otherwise scan every task per stage)
  const perStage = new Map<string, { n: number; first: number; last: number; any: boolean }>(
    view.stages.map((name) => [name, { n: 0, first: Infinity, last: -Infinity, any: false }]),
  );
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
  const pct = (x: number) => (total.provided > 0 ? (x / total.provided) * 100 : 0);
  const app = pct(total.application);
  const sys = pct(total.system);
  const count = (st: string) => tasks.filter((t) => t.state === st).length;
  return {
    ttc,
    ttq: s(unionLength(queueActive)),
    ttqNeverActive: s(unionLength(queueNever)),
    neverActive: pilots.filter((p) => !p.becameActive).length,
    ttx,
    ovh: ttc - ttx,
    utilisation: {
      application: app,
      system: sys,
      idle: total.provided > 0 ? Math.max(0, 100 - app - sys) : 0,
    },
    pilots,
    tasks,
    stages,
    counts: {
      done: count("DONE"),
      failed: count("FAILED"),
      canceled: count("CANCELED"),
      total: tasks.length,
    },
    problems,
  };
}

/** One paragraph a person can read: "4 pilots requested, 3 became active after 46–136 s, 1 never did (queued 56 s); …". */
export function plainReport(st: RunStats): string {
  const active = st.pilots.filter((p) => p.becameActive);
  const waits = active.map((p) => p.queueWait ?? 0);
  const lo = minOf(waits);
  const hi = maxOf(waits);
  const range = active.length
    ? ` after ${waits.length > 1 && formatDuration(hi) !== formatDuration(lo) ? `${formatDuration(lo).replace(/ s$/, "")}–${formatDuration(hi)}` : formatDuration(lo)}`
    : "";
  // not active yet: "never did" once the pilot has ended, "still waiting" while a live run's pilot is queued
  const ended = st.pilots.filter((p) => !p.becameActive && PILOT_ENDED.has(p.state)).length;
  const waiting = st.neverActive - ended;
  const never = st.neverActive
    ? `${ended ? `, ${ended} never did` : ""}${waiting ? `, ${waiting} still waiting` : ""}${st.ttqNeverActive > 0 ? ` (queued ${formatDuration(st.ttqNeverActive)})` : ""}`
    : "";
  const pilotsPart = `${st.pilots.length} pilot${st.pilots.length === 1 ? "" : "s"} requested, ${active.length} became active${range}${never}`;
  const tasksPart = `${st.counts.done} task${st.counts.done === 1 ? "" : "s"} done, ${st.counts.failed} failed${st.counts.canceled ? `, ${st.counts.canceled} cancelled` : ""}`;
  return `${pilotsPart}; ${tasksPart}; TTC ${formatDuration(st.ttc)} of which ${formatDuration(st.ttx)} execution.`;
}

/**
 * Staging of a task's last attempt, from its history (the last time it entered each state):
 * staging in ends when the task is handed to the agent; from there to executing it waits for
 * free cores on its pilot, which is not staging (docs/statistics.md).
 */
function stagingOf(h: readonly { state: string; at: number }[]): {
  stagingIn: number | null;
  coreWait: number | null;
  stagingOut: number | null;
} {
  const lastAt = (state: string) => {
    for (let i = h.length - 1; i >= 0; i--) if (h[i]!.state === state) return h[i]!.at;
    return null;
  };
  const inStart = lastAt("TMGR_STAGING_INPUT");
  const handed = lastAt("AGENT_STAGING_INPUT") ?? lastAt("AGENT_SCHEDULING");
  const exec = lastAt("AGENT_EXECUTING");
  const outStart = lastAt("AGENT_STAGING_OUTPUT");
  const done = lastAt("DONE");
  // the agent's clock stamps "executing", the server's stamps "handed over": the first may be a hair earlier
  const inEnd = handed !== null && exec !== null ? Math.min(handed, exec) : (handed ?? exec);
  return {
    stagingIn: inStart !== null && inEnd !== null && inEnd >= inStart ? s(inEnd - inStart) : null,
    coreWait:
      handed !== null && exec !== null && (inStart === null || handed >= inStart)
        ? s(Math.max(0, exec - handed))
        : null,
    stagingOut: outStart !== null && done !== null && done >= outStart ? s(done - outStart) : null,
  };
}
