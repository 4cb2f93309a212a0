import type { GanttPilot, GanttTask } from "@/lib/timeline/model";
import { secondsText, waitNote } from "@/lib/timeline/text";

/** The tooltip's lines, also read out for keyboard users; plain strings so both stay identical. */
const at = (t: number, t0: number) => `${((t - t0) / 1000).toFixed(1)} s`;

export function describeTask(t: GanttTask, t0: number, now: number, pilotLabel: string): string[] {
  const lines = [
    `${t.taskId} · ${t.stage} · ${t.state}${t.attempt > 0 ? ` · attempt ${t.attempt + 1}` : ""}`,
  ];
  lines.push(
    `on ${pilotLabel}, core ${t.lane}${t.width > 1 ? `–${t.lane + t.width - 1}` : ""}: ${at(t.start, t0)} → ${t.end ? at(t.end, t0) : "running"} (${(((t.end ?? now) - t.start) / 1000).toFixed(1)} s)`,
  );
  if (t.note) lines.push(t.note);
  return lines;
}

export function describePilot(p: GanttPilot, t0: number): string[] {
  const lines = [`${p.label} · ${p.finalState ?? p.segments[p.segments.length - 1]?.state ?? "NEW"}`];
  lines.push(p.segments.map((s) => `${s.state.replace(/^PMGR_/, "")} ${at(s.start, t0)}`).join(" → "));
  const note = waitNote(p);
  if (note) lines.push(note);
  else {
    if (p.waited !== null) lines.push(`waited ${secondsText(p.waited)} in the queue`);
    if (p.reason) lines.push(p.reason);
  }
  return lines;
}
