import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import type { ExecutionStrategy } from "../planner";
import { skeletonText } from "../skeleton/test-helpers";
import { readCalibration } from "./calibration";
import { launchRun } from "./launch";
import { PREDICT_MAX_TASKS, readPrediction } from "./prediction";

// The prediction store (issue 15) on real SQLite: launchRun keeps the prediction with the run;
// a workload too big to simulate while launching gets a record that says why; the calibration
// reader learns only from finished runs, never from the one it is told to leave out.
const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-prediction-")), "em.db")}`);
afterAll(() => db.$disconnect());

describe("the prediction kept with a run", () => {
  it("is stored at launch and read back through its schema; too big a workload is said so, not simulated", async () => {
    const user = await db.user.create({ data: { email: "predict@x.org", passwordHash: "h" } });
    const res = await db.resource.create({ data: { userId: user.id, label: "local", kind: "local" } });
    const plan: ExecutionStrategy = {
      strategy: "adaptive",
      binding: "late",
      scheduler: "direct",
      predictedTtcSeconds: 1,
      assumptions: [],
      trail: [],
      rejected: [],
      warnings: [],
      pilots: [
        {
          resourceId: res.id,
          resource: "local",
          queue: null,
          cores: 2,
          nodes: 1,
          walltimeMinutes: 60,
          project: null,
        },
      ],
    };
    const input = {
      userId: user.id,
      name: "small",
      skeleton: { text: skeletonText([{ name: "Stage_1", tasks: 10 }]), fileName: "s.conf" },
      seed: 0,
      maxRetries: 0,
      plan,
      snapshots: [],
      now: new Date(),
    };
    const r = await launchRun(db, input);
    if (!r.ok) throw new Error(r.message);
    const p = readPrediction((await db.run.findUniqueOrThrow({ where: { id: r.runId } })).prediction);
    expect(p?.median).toBeGreaterThan(0);
    expect(p?.runs).toBeGreaterThanOrEqual(20);
    expect(p?.inputs.calibratedFrom).toBe(0);

    const big = await launchRun(db, {
      ...input,
      name: "big",
      skeleton: {
        text: skeletonText([{ name: "Stage_1", tasks: PREDICT_MAX_TASKS + 1 }]),
        fileName: "b.conf",
      },
    });
    if (!big.ok) throw new Error(big.message);
    const bp = readPrediction((await db.run.findUniqueOrThrow({ where: { id: big.runId } })).prediction);
    expect(bp?.median).toBeNull();
    expect(bp?.error).toMatch(/not predicted at launch: 10,001 tasks/);

    // neither run has finished: nothing to learn from yet; once one is DONE it counts, unless left out
    expect((await readCalibration(db, user.id)).runIds).toEqual([]);
    await db.run.update({ where: { id: r.runId }, data: { state: "DONE" } });
    expect((await readCalibration(db, user.id)).runIds).toEqual([r.runId]);
    expect((await readCalibration(db, user.id, { exclude: r.runId })).runIds).toEqual([]);
    // a run read only for its pilots' events (beyond the fully read ones) still gives its queue wait
    const pilot = await db.pilot.findFirstOrThrow({ where: { runId: r.runId } });
    const t = Date.now();
    await db.event.createMany({
      data: [
        {
          runId: r.runId,
          entity: "pilot",
          entityId: pilot.id,
          from: "PMGR_LAUNCHING",
          to: "PMGR_ACTIVE_PENDING",
          at: new Date(t),
        },
        {
          runId: r.runId,
          entity: "pilot",
          entityId: pilot.id,
          from: "PMGR_ACTIVE_PENDING",
          to: "PMGR_ACTIVE",
          at: new Date(t + 7000),
        },
      ],
    });
    const light = await readCalibration(db, user.id, { fullRuns: 0 });
    expect(light.resources[res.id]?.waits[""]).toEqual({ samples: [7], never: 0 });
    expect(light.resources[res.id]?.startupS.source).toBe("default");
    expect(readPrediction(null)).toBeNull();
  }, 60_000);
});
