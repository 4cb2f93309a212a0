import type { RunView } from "@/lib/stats/fold";
import type { GanttModel, GanttTask } from "../gantt/model";

/** The folded run as the timeline's model: one band per pilot, every execution span as a bar. */
export function toGantt(view: RunView, pilotLabels: Map<string, string>): GanttModel {
  const pilots = [...view.pilots.values()].map((p) => ({
    id: p.id,
    label: pilotLabels.get(p.id) ?? `${p.label}${p.queue ? `[${p.queue}]` : ""} (${p.cores})`,
    cores: p.cores,
    segments: p.segments,
    finalState: ["DONE", "FAILED", "CANCELED"].includes(p.state) ? p.state : null,
    reason: p.reason,
    neverActive: p.enteredAt.PMGR_ACTIVE === undefined && ["FAILED", "CANCELED", "DONE"].includes(p.state),
  }));
  const tasks: GanttTask[] = [];
  for (const t of view.tasks.values()) {
    t.spans.forEach((s, i) => {
      if (s.start === null || !s.pilotId) return;
      const last = i === t.spans.length - 1;
      const prev = t.spans[i - 1];
      tasks.push({
        taskId: t.id, pilotId: s.pilotId, lane: s.slots[0] ?? 0, width: Math.max(1, s.slots.length || t.cores), start: s.start, end: s.end,
        stage: t.stage, state: last ? t.state : "FAILED", attempt: s.attempt,
        note: prev ? `attempt ${s.attempt + 1}: earlier attempt ran on another pilot` : !last ? `left this pilot: ${t.history.find((h) => h.state === "TMGR_SCHEDULING_PENDING" && h.at >= (s.end ?? 0))?.reason ?? "rebound"}` : null,
      });
    });
  }
  return { t0: view.t0 ?? Date.now(), pilots, tasks, stages: view.stages };
}
