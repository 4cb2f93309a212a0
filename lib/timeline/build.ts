import type { RunView, TaskView } from "../stats/fold";
import type { GanttModel, GanttPilot, GanttTask } from "./model";

const FINAL = ["DONE", "FAILED", "CANCELED"];

/**
 * `stampede (16)`, or `stampede · debug (16)` when the pilot's queue is not named like its resource:
 * the label a pilot goes by everywhere on the run page and in exports. The queue is shown only when
 * it tells the reader something (the SC2014 bundles name each machine's queue after the machine).
 */
export function pilotLabel(p: { label: string; queue: string | null; cores: number }): string {
  const queue = p.queue && p.queue !== p.label ? ` · ${p.queue}` : "";
  return `${p.label}${queue} (${p.cores})`;
}

/**
 * The folded run as the timeline's model: one band per pilot, every execution span as a bar.
 * `labels` overrides pilot labels (the run page knows the database's names); `now` closes the
 * wait of a pilot that is still queued.
 */
export function toTimeline(
  view: RunView,
  labels: ReadonlyMap<string, string> = new Map(),
  now: number = view.lastAt ?? 0,
): GanttModel {
  return {
    t0: view.t0 ?? now,
    pilots: timelinePilots(view, labels, now),
    tasks: timelineTasks(view, labels),
    stages: view.stages,
  };
}

function namer(
  view: RunView,
  labels: ReadonlyMap<string, string>,
): (id: string | null | undefined) => string {
  return (id) =>
    id ? (labels.get(id) ?? (view.pilots.has(id) ? pilotLabel(view.pilots.get(id)!) : id)) : "no pilot";
}

/** The pilots' bands of toTimeline: the only part that depends on `now` (a live page redoes it every second). */
export function timelinePilots(
  view: RunView,
  labels: ReadonlyMap<string, string> = new Map(),
  now: number = view.lastAt ?? 0,
): GanttPilot[] {
  const name = namer(view, labels);
  return [...view.pilots.values()].map((p) => {
    const final = FINAL.includes(p.state);
    const active = p.enteredAt.PMGR_ACTIVE;
    // a pilot never queued (e.g. its submission was rejected) waited from the moment it was planned
    const from = p.enteredAt.PMGR_ACTIVE_PENDING ?? p.segments[0]?.start ?? null;
    const until = active ?? (final ? (p.segments[p.segments.length - 1]?.end ?? view.lastAt) : now);
    return {
      id: p.id,
      label: name(p.id),
      cores: p.cores,
      segments: p.segments,
      finalState: final ? p.state : null,
      reason: p.reason,
      neverActive: active === undefined && final,
      waited: from !== null && until !== null ? Math.max(0, until - from) : null,
    };
  });
}

/** The task bars of toTimeline (independent of `now`: a span still going has `end: null`). */
export function timelineTasks(view: RunView, labels: ReadonlyMap<string, string> = new Map()): GanttTask[] {
  // spans only exist once an event has been folded, so t0 is known whenever there is a bar
  const t0 = view.t0 ?? 0;
  const name = namer(view, labels);
  const tasks: GanttTask[] = [];
  for (const t of view.tasks.values()) {
    t.spans.forEach((s, i) => {
      if (s.start === null || !s.pilotId) return;
      const last = i === t.spans.length - 1;
      tasks.push({
        taskId: t.id,
        pilotId: s.pilotId,
        lane: s.slots[0] ?? 0,
        width: Math.max(1, s.slots.length || t.cores),
        start: s.start,
        end: s.end,
        stage: t.stage,
        state: last ? t.state : "FAILED",
        attempt: s.attempt,
        note: spanNote(t, i, t0, name),
      });
    });
  }
  return tasks;
}

/** Why a task left a pilot: the requeue (or failure) that followed its execution there. */
export function leaveReason(t: TaskView, after: number): { at: number; reason: string | null } | null {
  const h = t.history.find(
    (x) =>
      x.at >= after &&
      (x.state === "TMGR_SCHEDULING_PENDING" || x.state === "FAILED" || x.state === "CANCELED"),
  );
  return h ? { at: h.at, reason: h.reason } : null;
}

const sec = (ms: number, t0: number) => `${((ms - t0) / 1000).toFixed(1)} s`;

/** The tooltip's line about rebinding and retries; null for a task that ran once, where it was bound. */
function spanNote(t: TaskView, i: number, t0: number, name: (id: string | null) => string): string | null {
  const s = t.spans[i]!;
  const parts: string[] = [];
  const prev = t.spans[i - 1];
  if (prev) {
    const why = leaveReason(t, prev.start ?? 0);
    parts.push(
      `attempt ${s.attempt + 1}; attempt ${prev.attempt + 1} ran on ${name(prev.pilotId)}${why?.reason ? ` and left it: ${why.reason}` : ""}`,
    );
  }
  if (i < t.spans.length - 1) {
    const why = leaveReason(t, s.start ?? 0);
    parts.push(`left ${name(s.pilotId)}${why ? ` at ${sec(why.at, t0)}` : ""}: ${why?.reason ?? "rebound"}`);
  }
  return parts.length ? parts.join(" · ") : null;
}
