import type { TransitionTable } from "./transition";

/** Run states. A run is DONE only when every task is DONE; FAILED says why in its reason. */
export const RUN_STATES = ["NEW", "ACTIVE", "DONE", "FAILED", "CANCELED"] as const;
export type RunState = (typeof RUN_STATES)[number];

export const RUN_FINAL: readonly RunState[] = ["DONE", "FAILED", "CANCELED"];

export const RUN_TRANSITIONS: TransitionTable<RunState> = {
  NEW: ["ACTIVE", "FAILED", "CANCELED"],
  ACTIVE: ["DONE", "FAILED", "CANCELED"],
  DONE: [],
  FAILED: [],
  CANCELED: [],
};

export function isRunFinal(s: RunState): boolean {
  return RUN_FINAL.includes(s);
}

export function isRunState(s: string): s is RunState {
  return (RUN_STATES as readonly string[]).includes(s);
}
