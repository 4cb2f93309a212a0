/**
 * The timeline's colours outside the browser (the SVG/PNG export has no CSS variables):
 * the same values as app/globals.css, light and dark. Stage colours are Okabe–Ito
 * (colour-blind friendly), identical in both themes.
 */
export type ThemeName = "light" | "dark";

export interface TimelineTheme {
  bg: string;
  text: string;
  muted: string;
  border: string;
  accent: string;
  queued: string;
  active: string;
  done: string;
  failed: string;
  canceled: string;
}

export const THEMES: Record<ThemeName, TimelineTheme> = {
  light: {
    bg: "#ffffff",
    text: "#1b1f24",
    muted: "#5b6470",
    border: "#d9dde3",
    accent: "#2563eb",
    queued: "#9aa5b1",
    active: "#2e7d32",
    done: "#1e40af",
    failed: "#c62828",
    canceled: "#6b7280",
  },
  dark: {
    bg: "#171b21",
    text: "#e6e9ee",
    muted: "#9aa4b2",
    border: "#2a3039",
    accent: "#60a5fa",
    queued: "#64748b",
    active: "#4ade80",
    done: "#93c5fd",
    failed: "#f87171",
    canceled: "#94a3b8",
  },
};

export const STAGE_PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#999999",
];

export function stageColor(stages: readonly string[], stage: string): string {
  const i = stages.indexOf(stage);
  return STAGE_PALETTE[(i < 0 ? 0 : i) % STAGE_PALETTE.length]!;
}

export type StateColor = "queued" | "active" | "done" | "failed" | "canceled";

/** Pilot states grouped the way the timeline shows them: waiting, active, ended by outcome. */
export function pilotStateColor(state: string): StateColor {
  if (state === "PMGR_ACTIVE") return "active";
  if (state === "DONE") return "done";
  if (state === "FAILED") return "failed";
  if (state === "CANCELED") return "canceled";
  return "queued";
}

export function taskStateColor(state: string): StateColor {
  if (state === "DONE") return "done";
  if (state === "FAILED") return "failed";
  if (state === "CANCELED") return "canceled";
  if (state === "AGENT_EXECUTING") return "active";
  return "queued";
}
