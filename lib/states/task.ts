import type { TransitionTable } from "./transition";

/** Task states, RADICAL-Pilot's names, in lifecycle order (the index is the ordinal). */
export const TASK_STATES = [
  "NEW",
  /** in the wait queue: ready or waiting for its inputs, not bound to a pilot */
  "TMGR_SCHEDULING_PENDING",
  /** bound to a pilot (late binding picked it, or early binding assigned it) */
  "TMGR_SCHEDULING",
  /** the server is putting its input files into the pilot sandbox */
  "TMGR_STAGING_INPUT",
  /** handed to the agent's inbox */
  "AGENT_STAGING_INPUT",
  /** the agent has it and is waiting for free cores */
  "AGENT_SCHEDULING",
  "AGENT_EXECUTING",
  /** the agent reported the exit; outputs are in the sandbox */
  "AGENT_STAGING_OUTPUT",
  /** the server is bringing outputs back to the run directory */
  "TMGR_STAGING_OUTPUT",
  "DONE",
  "FAILED",
  "CANCELED",
] as const;

export type TaskState = (typeof TASK_STATES)[number];

export const TASK_FINAL: readonly TaskState[] = ["DONE", "FAILED", "CANCELED"];

/** States in which a task holds cores on a pilot (bound but not yet released). */
export const TASK_HOLDS_CORES: readonly TaskState[] = [
  "TMGR_SCHEDULING",
  "TMGR_STAGING_INPUT",
  "AGENT_STAGING_INPUT",
  "AGENT_SCHEDULING",
  "AGENT_EXECUTING",
];

/** Bound, but the task program has not started: safe to move to another pilot. */
export const TASK_UNSTARTED_BOUND: readonly TaskState[] = [
  "TMGR_SCHEDULING",
  "TMGR_STAGING_INPUT",
  "AGENT_STAGING_INPUT",
  "AGENT_SCHEDULING",
];

const END = ["FAILED", "CANCELED"] as const;

/**
 * Forward only, with one deliberate way back: a task whose pilot ended returns to the
 * wait queue (TMGR_SCHEDULING_PENDING) under the same id. That is a *rebind* (it had not
 * started) or a *retry* (it was running; the attempt counter goes up). Both are events
 * with a reason, so a replay of the log still gives one answer: fold by (attempt, ordinal).
 */
export const TASK_TRANSITIONS: TransitionTable<TaskState> = {
  NEW: ["TMGR_SCHEDULING_PENDING", ...END],
  TMGR_SCHEDULING_PENDING: ["TMGR_SCHEDULING", ...END],
  TMGR_SCHEDULING: ["TMGR_STAGING_INPUT", "AGENT_STAGING_INPUT", "TMGR_SCHEDULING_PENDING", ...END],
  TMGR_STAGING_INPUT: ["AGENT_STAGING_INPUT", "TMGR_SCHEDULING_PENDING", ...END],
  AGENT_STAGING_INPUT: ["AGENT_SCHEDULING", "AGENT_EXECUTING", "TMGR_SCHEDULING_PENDING", ...END],
  AGENT_SCHEDULING: ["AGENT_EXECUTING", "TMGR_SCHEDULING_PENDING", ...END],
  AGENT_EXECUTING: ["AGENT_STAGING_OUTPUT", "TMGR_SCHEDULING_PENDING", ...END],
  AGENT_STAGING_OUTPUT: ["TMGR_STAGING_OUTPUT", "DONE", "TMGR_SCHEDULING_PENDING", ...END],
  TMGR_STAGING_OUTPUT: ["DONE", "TMGR_SCHEDULING_PENDING", ...END],
  DONE: [],
  FAILED: [],
  CANCELED: [],
};

export function isTaskFinal(s: TaskState): boolean {
  return TASK_FINAL.includes(s);
}

export function taskOrdinal(s: TaskState): number {
  return TASK_STATES.indexOf(s);
}

export function isTaskState(s: string): s is TaskState {
  return (TASK_STATES as readonly string[]).includes(s);
}
