import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { testDbUrl } from "../test-support/pg";
import { capacities, prefetchFor } from "./decide";
import { loadPilots, loadTasks, parsePlanPilots, parseTaskSpec } from "./rows";
import { runtimeFor } from "./runtime";

// The engine's rows as the real SQLite gives them back: states narrowed once (a state no machine
// knows is refused where it is read, not passed on as text), JSON columns through their schemas.
const db = openDb(testDbUrl(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-rows-")), "em.db")}`));
afterAll(() => db.$disconnect());

const spec = {
  id: "Stage_1_0",
  stage: "Stage_1",
  stageIndex: 0,
  type: "serial",
  mode: "time",
  cores: 1,
  length: 2,
  readBuffer: 1,
  writeBuffer: 1,
  interleave: 0,
  inputs: [],
  outputs: [{ name: "o", dir: "Stage_1_Output", path: "Stage_1_Output/o", size: 3 }],
  dependsOn: [],
};

async function runWith(pilotState: string, taskState: string, taskSpec: string) {
  const u = await db.user.create({ data: { email: `rows-${Math.random()}@x.org`, passwordHash: "h" } });
  const run = await db.run.create({
    data: { userId: u.id, name: "rows", strategy: "adaptive", plan: "{}" },
    select: { id: true },
  });
  await db.pilot.create({
    data: {
      runId: run.id,
      index: 0,
      label: "local",
      kind: "local",
      cores: 2,
      nodes: 1,
      walltimeMinutes: 5,
      state: pilotState,
    },
  });
  await db.task.create({
    data: {
      runId: run.id,
      taskId: "Stage_1_0",
      stage: "Stage_1",
      stageIndex: 0,
      cores: 1,
      length: 2,
      state: taskState,
      spec: taskSpec,
    },
  });
  return run.id;
}

describe("engine rows", () => {
  it("come back with their states typed", async () => {
    const runId = await runWith("PMGR_ACTIVE", "TMGR_SCHEDULING_PENDING", JSON.stringify(spec));
    const [p] = await loadPilots(db, { runId });
    const [t] = await loadTasks(db, { runId });
    expect([p?.state, t?.state]).toEqual(["PMGR_ACTIVE", "TMGR_SCHEDULING_PENDING"]);
    expect((await runtimeFor(db, runId)).specs.get("Stage_1_0")).toEqual(spec);
  });

  it("refuse a state no state machine knows, naming the row", async () => {
    const runId = await runWith("PMGR_RUNNING", "EXECUTING", JSON.stringify(spec));
    await expect(loadPilots(db, { runId })).rejects.toThrow(
      /^pilot \S+ has the unknown state "PMGR_RUNNING"$/,
    );
    await expect(loadTasks(db, { runId })).rejects.toThrow(/^task \S+ has the unknown state "EXECUTING"$/);
  });

  it("read a task spec through its schema: a spec missing a field is refused, not cast", async () => {
    expect(parseTaskSpec(JSON.stringify(spec))).toEqual(spec);
    const { dependsOn: _gone, ...broken } = spec;
    expect(() => parseTaskSpec(JSON.stringify(broken))).toThrow(/dependsOn/);
    const runId = await runWith("NEW", "NEW", JSON.stringify({ ...spec, mode: "fast" }));
    await expect(runtimeFor(db, runId)).rejects.toThrow(/mode/);
  });

  it("read the plan's surplus marks from a whole plan or a bare one", () => {
    expect(
      parsePlanPilots(JSON.stringify({ strategy: "adaptive", pilots: [{ cores: 1 }, { surplus: true }] })),
    ).toEqual([{}, { surplus: true }]);
    expect(parsePlanPilots("{}")).toEqual([]);
    expect(() => parsePlanPilots(JSON.stringify({ pilots: [{ surplus: "yes" }] }))).toThrow();
  });
});

describe("prefetch (decide.ts)", () => {
  it("covers one tick of the ready tasks' mean length, at least share × cores, at most 32 × cores", () => {
    expect(prefetchFor(4, 100, { share: 0.5, tickS: 0.5 })).toBe(2);
    expect(prefetchFor(4, 0.1, { share: 0.5, tickS: 0.5 })).toBe(20);
    expect(prefetchFor(4, 0.0001, { share: 0.5, tickS: 0.5 })).toBe(128);
    expect(prefetchFor(4, 100, { share: 0, tickS: 0.5 })).toBe(1);
  });

  it("is given only to active pilots nobody asked to cancel, less what they hold", () => {
    const pilot = (id: string, state: "PMGR_ACTIVE" | "PMGR_ACTIVE_PENDING", cancel = false) => ({
      id,
      runId: "r",
      index: 0,
      resourceId: null,
      label: id,
      kind: "local",
      queue: null,
      project: null,
      cores: 4,
      nodes: 1,
      walltimeMinutes: 5,
      state,
      reason: null,
      jobId: null,
      sandbox: null,
      logOffset: 0,
      inboxSeq: 0,
      activeAt: null,
      submittedAt: null,
      cancelRequestedAt: cancel ? new Date() : null,
    });
    const caps = capacities(
      [pilot("a", "PMGR_ACTIVE"), pilot("b", "PMGR_ACTIVE_PENDING"), pilot("c", "PMGR_ACTIVE", true)],
      [],
      new Map([["a", 3]]),
      { share: 0.5, tickS: 0.5 },
    );
    expect(caps.map((c) => [c.pilot.id, c.free])).toEqual([["a", 4 + 2 - 3]]);
  });
});
