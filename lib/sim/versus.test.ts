import { describe, expect, it } from "vitest";
import { statisticsFiles } from "../archive/run-files";
import type { RunRecord } from "../db/run-record";
import type { RunEvent } from "../model/event";
import { emptyCalibration } from "./calibrate";
import { predictCalibrated, ZPredictionRecord, type PredictionRecord } from "./calibrated";
import { actualTerms, versus } from "./versus";
import type { ExecutionStrategy } from "../planner/types";
import { loadSkeletonText } from "../skeleton";
import { bigText } from "../work/test-helpers";

// hand-computed: run starts at 0; pilot submitted at 1 s, active at 5 s; task A handed over at
// 5 s, executes 7–10 s, collected at 11 s; task B handed over 6 s, executes 8–12 s, collected 12 s;
// the run ends at 14 s. Queue wait 5, start-up 2 (5 → 7), execution 5 (7–12), staging 0 (busy
// from the first execution on is 7–12, all of it executing), overhead 14 − 5 − 2 − 5 − 0 = 2.
const ev = (
  entity: RunEvent["entity"],
  entityId: string,
  to: string,
  atS: number,
  data: Record<string, unknown> | null = null,
): RunEvent => ({
  seq: 0,
  runId: "R",
  entity,
  entityId,
  from: null,
  to,
  at: 1_000_000 + atS * 1000,
  reason: null,
  data,
});
const task = (id: string, handed: number, x0: number, x1: number, done: number) => [
  ev("task", id, "NEW", 0, { stage: "S", cores: 1 }),
  ev("task", id, "TMGR_SCHEDULING_PENDING", 0),
  ev("task", id, "TMGR_SCHEDULING", handed, { pilotId: "p" }),
  ev("task", id, "TMGR_STAGING_INPUT", handed, { pilotId: "p" }),
  ev("task", id, "AGENT_STAGING_INPUT", handed),
  ev("task", id, "AGENT_EXECUTING", x0, { pilotId: "p" }),
  ev("task", id, "AGENT_STAGING_OUTPUT", x1, { exitCode: 0 }),
  ev("task", id, "DONE", done),
];
const events: RunEvent[] = [
  ev("run", "R", "NEW", 0),
  ev("pilot", "p", "NEW", 0, { label: "local", cores: 2 }),
  ev("pilot", "p", "PMGR_ACTIVE_PENDING", 1),
  ev("pilot", "p", "PMGR_ACTIVE", 5),
  ...task("A", 5, 7, 10, 11),
  ...task("B", 6, 8, 12, 12),
  ev("pilot", "p", "DONE", 13),
  ev("run", "R", "DONE", 14),
]
  .sort((a, b) => a.at - b.at)
  .map((e, i) => ({ ...e, seq: i + 1 }));

const prediction: PredictionRecord = {
  madeAt: "2026-12-06T00:00:00.000Z",
  strategy: "adaptive",
  runs: 10,
  seed: 15,
  median: 10,
  p10: 9,
  p90: 12,
  failShare: 0,
  failures: [],
  terms: { queueWait: 4, startup: 2, execution: 5, staging: 0, overhead: 1 },
  inputs: {
    calibratedFrom: 2,
    pilots: [],
    overheads: [],
    submitS: { value: 1, source: "measured", n: 2 },
    launchGapS: { value: 10, source: "default", n: 0 },
    endS: { value: 2, source: "measured", n: 2 },
  },
};

describe("predicted vs actual", () => {
  it("splits a real run's TTC into the simulator's five terms, which add up", () => {
    const a = actualTerms(events);
    expect(a.ttc).toBe(14);
    expect(a.terms).toEqual({ queueWait: 5, startup: 2, execution: 5, staging: 0, overhead: 2 });
  });

  it("gives the model's error as actual / predicted − 1, per term, null where nothing was predicted", () => {
    const v = versus(prediction, events);
    expect(v.error.ttc).toBeCloseTo(0.4);
    expect(v.error.queueWait).toBeCloseTo(0.25);
    expect(v.error.overhead).toBeCloseTo(1);
    expect(v.error.staging).toBeNull();
  });

  it("run.json carries the prediction made at launch beside the actual figures; none for a run without one", () => {
    const plan: ExecutionStrategy = {
      strategy: "adaptive",
      binding: "late",
      scheduler: "backfilling",
      predictedTtcSeconds: 0,
      assumptions: [],
      trail: [],
      rejected: [],
      warnings: [],
      pilots: [],
    };
    const rec: RunRecord = {
      id: "R",
      name: "r",
      state: "DONE",
      stateReason: null,
      strategy: "adaptive",
      createdAt: new Date(0),
      dir: null,
      plan,
      resources: [],
      skeletonText: "",
      events,
      prediction,
    };
    const json = JSON.parse(statisticsFiles(rec)["run.json"]!) as {
      prediction: PredictionRecord & { versus: { actual: { ttc: number }; error: { ttc: number } } };
    };
    expect(json.prediction.median).toBe(10);
    expect(json.prediction.versus.actual.ttc).toBe(14);
    expect(json.prediction.versus.error.ttc).toBeCloseTo(0.4);
    const none = JSON.parse(statisticsFiles({ ...rec, prediction: null })["run.json"]!) as {
      prediction: unknown;
    };
    expect(none.prediction).toBeNull();
  });

  it("a prediction record survives the JSON column and its schema", () => {
    const plan: ExecutionStrategy = {
      strategy: "aimes",
      binding: "early",
      scheduler: "direct",
      predictedTtcSeconds: 0,
      assumptions: [],
      trail: [],
      rejected: [],
      warnings: [],
      pilots: [],
    };
    const l = loadSkeletonText(bigText(3), { fileName: "s.input", seed: 0 });
    if (!l.ok) throw new Error("the skeleton does not load");
    const p = predictCalibrated(l.workload, plan, [], emptyCalibration(), {
      runs: 5,
      seed: 1,
      now: new Date(0),
    });
    expect(ZPredictionRecord.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });
});
