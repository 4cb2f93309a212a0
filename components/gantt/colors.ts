import { THEMES, pilotStateColor, taskStateColor, type TimelineTheme } from "@/lib/timeline/theme";

export { STAGE_PALETTE, stageColor } from "@/lib/timeline/theme";

/** CSS variable names for a pilot's or task's state (the same grouping as the SVG export). */
export function pilotStateVar(state: string): string {
  return `--${pilotStateColor(state)}`;
}

export function taskStateVar(state: string): string {
  return `--${taskStateColor(state)}`;
}

export function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || "#888";
}

/**
 * The current theme's colours, read from the CSS variables once per draw (reading them per bar
 * would cost a style lookup for each of thousands of tasks).
 */
export function readTheme(el: Element): TimelineTheme {
  const s = getComputedStyle(el);
  const v = (n: string, d: string) => s.getPropertyValue(n).trim() || d;
  const l = THEMES.light;
  return {
    bg: v("--panel", l.bg),
    text: v("--text", l.text),
    muted: v("--muted", l.muted),
    border: v("--border", l.border),
    accent: v("--accent", l.accent),
    queued: v("--queued", l.queued),
    active: v("--active", l.active),
    done: v("--done", l.done),
    failed: v("--failed", l.failed),
    canceled: v("--canceled", l.canceled),
  };
}
