import type { GanttPilot } from "./model";

/** Words shared by the canvas, its tooltip and the SVG export, so every rendering says the same. */
export function secondsText(ms: number | null): string {
  return ms === null ? "—" : `${Math.round(ms / 1000)} s`;
}

/** The line under a pilot's name: its outcome, and for one that never started, that it only waited. */
export function pilotCaption(p: GanttPilot): string {
  if (p.neverActive) return `never active: ${p.finalState ?? "waiting"}`;
  return p.finalState ?? (p.segments.some((s) => s.state === "PMGR_ACTIVE") ? "active" : "waiting");
}

/** What a never-active pilot's placeholder lane says: how long it waited and why it ended. */
export function waitNote(p: GanttPilot): string | null {
  if (!p.neverActive) return null;
  return `waited ${secondsText(p.waited)}, then ${p.finalState ?? "ended"}${p.reason ? `: ${p.reason}` : ""}`;
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** `1 pilot`, `2 pilots`: counts in captions and titles. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}
