import type { TransitionTable } from "./transition";

/** Pilot states, RADICAL-Pilot's names, in lifecycle order (the index is the ordinal). */
export const PILOT_STATES = [
  "NEW",
  /** planned, waiting for the engine to submit it */
  "PMGR_LAUNCHING_PENDING",
  /** sandbox upload and batch submission under way */
  "PMGR_LAUNCHING",
  /** accepted by the batch system: queued, or started and booting the agent */
  "PMGR_ACTIVE_PENDING",
  /** the agent reported its allocation; tasks may be bound */
  "PMGR_ACTIVE",
  "DONE",
  "FAILED",
  "CANCELED",
] as const;

export type PilotState = (typeof PILOT_STATES)[number];

export const PILOT_FINAL: readonly PilotState[] = ["DONE", "FAILED", "CANCELED"];

/** Submitted and not ended: the batch system has the job, the agent may be reporting. */
export const PILOT_LIVE: readonly PilotState[] = ["PMGR_ACTIVE_PENDING", "PMGR_ACTIVE"];

const ENDINGS = ["DONE", "FAILED", "CANCELED"] as const;

/**
 * Forward only. Intermediate states may be skipped (a pilot whose agent reports ACTIVE
 * before the batch poll saw it queued goes straight to PMGR_ACTIVE). DONE needs an
 * active pilot: one that never started can only fail or be cancelled.
 */
export const PILOT_TRANSITIONS: TransitionTable<PilotState> = {
  NEW: ["PMGR_LAUNCHING_PENDING", "PMGR_LAUNCHING", "FAILED", "CANCELED"],
  PMGR_LAUNCHING_PENDING: ["PMGR_LAUNCHING", "FAILED", "CANCELED"],
  PMGR_LAUNCHING: ["PMGR_ACTIVE_PENDING", "PMGR_ACTIVE", "FAILED", "CANCELED"],
  PMGR_ACTIVE_PENDING: ["PMGR_ACTIVE", "FAILED", "CANCELED"],
  PMGR_ACTIVE: [...ENDINGS],
  DONE: [],
  FAILED: [],
  CANCELED: [],
};

export function isPilotFinal(s: PilotState): boolean {
  return PILOT_FINAL.includes(s);
}

export function pilotOrdinal(s: PilotState): number {
  return PILOT_STATES.indexOf(s);
}

export function isPilotState(s: string): s is PilotState {
  return (PILOT_STATES as readonly string[]).includes(s);
}
