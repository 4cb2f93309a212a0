/** Stage colours (colour-blind-friendly, Okabe–Ito order) and state colours (CSS variables). */
export const STAGE_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];

export function stageColor(stages: readonly string[], stage: string): string {
  const i = stages.indexOf(stage);
  return STAGE_PALETTE[(i < 0 ? 0 : i) % STAGE_PALETTE.length]!;
}

/** Pilot states grouped the way the timeline shows them: waiting, active, ended by outcome. */
export function pilotStateVar(state: string): string {
  switch (state) {
    case "PMGR_ACTIVE":
      return "--active";
    case "DONE":
      return "--done";
    case "FAILED":
      return "--failed";
    case "CANCELED":
      return "--canceled";
    default:
      return "--queued";
  }
}

export function taskStateVar(state: string): string {
  if (state === "DONE") return "--done";
  if (state === "FAILED") return "--failed";
  if (state === "CANCELED") return "--canceled";
  if (state === "AGENT_EXECUTING") return "--active";
  return "--queued";
}

export function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || "#888";
}
