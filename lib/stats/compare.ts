import type { RunEvent } from "../model/event";
import { emptyView, foldEvents } from "./fold";
import { computeStats } from "./metrics";

/** One run as the comparison page shows it: the TTC and its terms, utilisation, pilots, and its timeline. */
export interface ComparedRun {
  id: string;
  name: string;
  state: string;
  strategy: string;
  ttc: number;
  ttq: number;
  ttx: number;
  ovh: number;
  utilisation: { application: number; system: number; idle: number };
  tasks: { done: number; failed: number; total: number };
  pilots: ComparedPilot[];
  /** seconds from the run's first event to its last */
  span: number;
}

export interface ComparedPilot {
  label: string;
  cores: number;
  state: string;
  queueWait: number | null;
  activeTime: number;
  tasksRun: number;
  /** seconds from the run's start: waiting in the batch queue, then active */
  waiting: [number, number] | null;
  active: [number, number] | null;
  /** when at least one task ran on it (merged), seconds from the run's start */
  busy: [number, number][];
}

/** Sorted, merged intervals: the times at least one of them covers. */
export function unionOf(xs: [number, number][]): [number, number][] {
  const s = xs.filter(([a, b]) => b > a).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * A run's numbers and timeline for the side-by-side comparison. Times are seconds from the run's
 * own first event, so runs launched hours apart are drawn on one time scale from zero.
 */
export function compareRun(
  meta: { id: string; name: string; state: string; strategy: string },
  events: readonly RunEvent[],
): ComparedRun {
  const view = foldEvents(emptyView(), events);
  const st = computeStats(events, view);
  const t0 = view.t0 ?? 0;
  const tEnd = view.lastAt ?? t0;
  const sec = (ms: number) => (ms - t0) / 1000;
  const stats = new Map(st.pilots.map((p) => [p.id, p]));
  const pilots: ComparedPilot[] = [...view.pilots.values()].map((p) => {
    const q = p.enteredAt.PMGR_ACTIVE_PENDING ?? p.enteredAt.PMGR_LAUNCHING;
    const a = p.enteredAt.PMGR_ACTIVE;
    const end = p.segments[p.segments.length - 1]?.end ?? tEnd;
    const busy: [number, number][] = [];
    for (const t of view.tasks.values())
      for (const sp of t.spans)
        if (sp.pilotId === p.id && sp.start !== null) busy.push([sec(sp.start), sec(sp.end ?? tEnd)]);
    const s = stats.get(p.id);
    return {
      label: p.label,
      cores: p.cores,
      state: p.state,
      queueWait: s?.queueWait ?? null,
      activeTime: s?.activeTime ?? 0,
      tasksRun: s?.tasksRun ?? 0,
      waiting: q !== undefined ? [sec(q), sec(a ?? end)] : null,
      active: a !== undefined ? [sec(a), sec(end)] : null,
      busy: unionOf(busy),
    };
  });
  return {
    ...meta,
    ttc: st.ttc,
    ttq: st.ttq,
    ttx: st.ttx,
    ovh: st.ovh,
    utilisation: st.utilisation,
    tasks: { done: st.counts.done, failed: st.counts.failed, total: st.counts.total },
    pilots,
    span: sec(tEnd),
  };
}
