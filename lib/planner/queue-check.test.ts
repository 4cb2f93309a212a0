import { describe, expect, it } from "vitest";
import type { QueueSnapshot } from "../model/resource";
import {
  pilotQueueNotes,
  pilotQueueProblems,
  planQueueProblems,
  queueLimitsText,
  withChosenQueues,
} from "./queue-check";
import type { ExecutionStrategy, PlannedPilot } from "./types";

const q = (name: string, over: Partial<QueueSnapshot> = {}): QueueSnapshot =>
  ({
    name,
    isDefault: false,
    enabled: true,
    maxWalltimeSeconds: 3600,
    maxCoresPerJob: 16,
    maxQueuedJobs: null,
    nodesTotal: 1,
    nodesFree: 1,
    coresTotal: 16,
    coresFree: 16,
    jobsQueued: 0,
    jobsRunning: 0,
    ...over,
  }) as QueueSnapshot;
const queues = [
  q("stampede", { isDefault: true }),
  q("debug", { maxWalltimeSeconds: 600 }),
  q("gordon", { enabled: false }),
];
const pilot = (over: Partial<PlannedPilot> = {}): PlannedPilot => ({
  resourceId: "r1",
  resource: "cluster",
  queue: null,
  cores: 4,
  nodes: 1,
  walltimeMinutes: 20,
  project: null,
  ...over,
});
const plan = (pilots: PlannedPilot[]): ExecutionStrategy => ({
  strategy: "adaptive",
  binding: "late",
  scheduler: "backfilling",
  pilots,
  predictedTtcSeconds: 100,
  assumptions: [],
  trail: [{ label: "A1", title: "t", value: 1 }],
  rejected: [],
  warnings: [],
});

describe("a pilot's queue, checked against the probed limits", () => {
  it("fits: the default queue when none is named, and a named one within its limits", () => {
    expect(pilotQueueProblems(pilot(), queues)).toEqual([]);
    expect(pilotQueueProblems(pilot({ queue: "debug", walltimeMinutes: 10 }), queues)).toEqual([]);
  });
  it("too long, too wide, unknown: each said with the limit; a queue that is down is a note, not a refusal (the SC2014 demo submits to one)", () => {
    expect(pilotQueueProblems(pilot({ queue: "debug" }), queues)).toEqual([
      "20.0 min is longer than debug allows (10 min)",
    ]);
    expect(pilotQueueProblems(pilot({ queue: "stampede", cores: 32 }), queues)).toEqual([
      "32 cores is more than stampede allows (16)",
    ]);
    expect(pilotQueueProblems(pilot({ queue: "gordon" }), queues)).toEqual([]);
    expect(pilotQueueNotes(pilot({ queue: "gordon" }), queues)).toEqual([
      "gordon is down: this pilot waits until it is back up, perhaps for ever",
    ]);
    expect(pilotQueueNotes(pilot(), queues)).toEqual([]);
    expect(pilotQueueProblems(pilot({ queue: "nope" }), queues)).toEqual([
      "cluster has no queue nope (it has stampede, debug, gordon)",
    ]);
    expect(pilotQueueProblems(pilot({ queue: "nope" }), [])).toEqual([]);
  });
  it("the plan's problems name the pilot", () => {
    expect(planQueueProblems(plan([pilot(), pilot({ queue: "debug" })]), () => queues)).toEqual([
      "pilot 2 (cluster): 20.0 min is longer than debug allows (10 min)",
    ]);
  });
  it("limits in words", () => {
    expect(queueLimitsText(queues[1]!)).toBe(
      "up, at most 10 min, at most 16 cores per job, 16 of 16 cores free",
    );
  });
  it("a queue the user picked is kept in the trail; an unchanged plan is left as it was", () => {
    const planned = plan([pilot(), pilot()]);
    expect(withChosenQueues(planned, planned, () => queues)).toBe(planned);
    const chosen = withChosenQueues(
      planned,
      plan([pilot(), pilot({ queue: "debug", walltimeMinutes: 10 })]),
      () => queues,
    );
    expect(chosen.pilots[1]!.queue).toBe("debug");
    expect(chosen.trail.at(-1)).toEqual({
      label: "Q2",
      title: "queue of pilot 2 (cluster), chosen on the plan page",
      value: "debug",
      note: "the planner chose the default queue; debug: up, at most 10 min, at most 16 cores per job, 16 of 16 cores free",
    });
  });
});
