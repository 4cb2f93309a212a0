import { describe, expect, it } from "vitest";
import { localSnapshot } from "../db/plan-inputs";
import { emptyCalibration } from "../sim/calibrate";
import { ZPredictionRecord } from "../sim/calibrated";
import { predictJob } from "./jobs";
import { bigText } from "./test-helpers";

// The plan page's job (issue 15): both strategies planned and simulated at once, under what-if changes.
describe("predict job", () => {
  const now = new Date().toISOString();
  const base = {
    kind: "predict" as const,
    key: null,
    text: bigText(40),
    fileName: "s.input",
    seed: 0,
    resources: [localSnapshot("r1", "local", new Date(now), 2)],
    policies: [
      { strategy: "adaptive" as const, now },
      { strategy: "aimes" as const, now },
    ],
    calibration: emptyCalibration(),
    runs: 50,
  };

  it("gives each strategy a median and p10–p90 from simulations, with every input's source", () => {
    const r = predictJob({ ...base, whatIf: { waits: {}, failing: [] } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plans.map((p) => p.strategy)).toEqual(["adaptive", "aimes"]);
    for (const p of r.plans) {
      const pr = ZPredictionRecord.parse(p.prediction);
      expect(pr.median).toBeGreaterThan(0);
      expect(pr.p10!).toBeLessThanOrEqual(pr.median!);
      expect(pr.p90!).toBeGreaterThanOrEqual(pr.median!);
      expect(pr.failShare).toBe(0);
      // no runs yet: `local` has no queue, the overheads are the documented defaults, and say so
      expect(pr.inputs.calibratedFrom).toBe(0);
      expect(pr.inputs.pilots.every((x) => x.waitSource === "default")).toBe(true);
      expect(pr.inputs.overheads[0]!.startupS).toEqual({ value: 11, source: "default", n: 0 });
    }
  });

  it("re-simulates both strategies with a queue's wait changed, and with a resource marked as failing", () => {
    const plain = predictJob({ ...base, whatIf: { waits: {}, failing: [] } });
    const slow = predictJob({ ...base, whatIf: { waits: { r1: 100 }, failing: [] } });
    const dead = predictJob({ ...base, whatIf: { waits: {}, failing: ["r1"] } });
    if (!plain.ok || !slow.ok || !dead.ok) throw new Error("the jobs do not run");
    for (let i = 0; i < 2; i++) {
      expect(slow.plans[i]!.prediction!.median! - plain.plans[i]!.prediction!.median!).toBeCloseTo(100, 0);
      expect(slow.plans[i]!.prediction!.inputs.pilots[0]!.waitSource).toBe("what-if");
      expect(dead.plans[i]!.prediction!.failShare).toBe(1);
      expect(dead.plans[i]!.prediction!.failures[0]!.reason).toMatch(/pilot/i);
    }
  });
});
