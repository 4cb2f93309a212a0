import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Workload, WorkloadTask } from "../model/workload";
import { openDb } from "./client";
import { readEvents } from "./events";
import { createRun } from "./runs";
import { moveTask } from "./state-writes";

const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-runs-")), "em.db")}`);
afterAll(() => db.$disconnect());

function task(i: number): WorkloadTask {
  return {
    id: `Stage_1_${i}`,
    stage: "Stage_1",
    stageIndex: 0,
    type: "serial",
    mode: "time",
    cores: 1,
    length: 10,
    readBuffer: 65536,
    writeBuffer: 65536,
    interleave: 0,
    inputs: [],
    outputs: [],
    dependsOn: [],
  };
}
const workload: Workload = {
  name: "t",
  seed: 1,
  stages: [{ name: "Stage_1", index: 0, taskIds: ["Stage_1_0", "Stage_1_1"], dependsOn: [] }],
  tasks: [task(0), task(1)],
  warnings: [],
};

describe("runs", () => {
  it("stores the frozen plan, pilots and tasks with their NEW events; a task cannot be bound twice", async () => {
    const user = await db.user.create({ data: { email: "r@x.org", passwordHash: "h" } });
    const res = await db.resource.create({ data: { userId: user.id, label: "local", kind: "local" } });
    const now = new Date("2026-11-24T10:00:00Z");
    const run = await createRun(db, {
      userId: user.id,
      name: "r1",
      skeletonId: null,
      strategy: "adaptive",
      seed: 1,
      maxRetries: 1,
      workload,
      skeletonText: "x",
      plan: {
        pilots: [
          {
            resourceId: res.id,
            resource: "local",
            queue: null,
            cores: 2,
            nodes: 1,
            walltimeMinutes: 10,
            project: null,
          },
        ],
      },
      resourceKinds: { [res.id]: "local" },
      resourcesSnapshot: [],
      now,
    });
    const pilots = await db.pilot.findMany({ where: { runId: run.id } });
    expect(pilots.map((p) => [p.label, p.kind, p.cores, p.state])).toEqual([["local", "local", 2, "NEW"]]);
    const events = await readEvents(db, run.id);
    expect(events.map((e) => `${e.entity}:${e.to}`)).toEqual([
      "run:NEW",
      "pilot:NEW",
      "task:NEW",
      "task:NEW",
    ]);

    const t = await db.task.findFirstOrThrow({ where: { runId: run.id, taskId: "Stage_1_0" } });
    const pending = await db.$transaction((tx) =>
      moveTask(tx, {
        id: t.id,
        runId: run.id,
        entityId: t.taskId,
        from: "NEW",
        to: "TMGR_SCHEDULING_PENDING",
        at: now,
      }),
    );
    expect(pending).toBe(true);
    const bind = (pilotId: string) =>
      db.$transaction((tx) =>
        moveTask(tx, {
          id: t.id,
          runId: run.id,
          entityId: t.taskId,
          from: "TMGR_SCHEDULING_PENDING",
          to: "TMGR_SCHEDULING",
          at: now,
          set: { pilotId },
          data: { pilotId },
        }),
      );
    const [a, b] = await Promise.all([bind(pilots[0]!.id), bind("another-pilot")]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const bound = await db.event.count({ where: { runId: run.id, to: "TMGR_SCHEDULING" } });
    expect(bound).toBe(1);
    await expect(
      db.$transaction((tx) =>
        moveTask(tx, {
          id: t.id,
          runId: run.id,
          entityId: t.taskId,
          from: "TMGR_SCHEDULING",
          to: "NEW",
          at: now,
        }),
      ),
    ).rejects.toThrow(/cannot move from TMGR_SCHEDULING to NEW/);
  });

  it("refuses a plan naming a resource the run does not have", async () => {
    const user = await db.user.create({ data: { email: "r2@x.org", passwordHash: "h" } });
    await expect(
      createRun(db, {
        userId: user.id,
        name: "r2",
        skeletonId: null,
        strategy: "aimes",
        seed: 1,
        maxRetries: 0,
        workload,
        skeletonText: "x",
        plan: {
          pilots: [
            {
              resourceId: "nope",
              resource: "ghost",
              queue: null,
              cores: 1,
              nodes: 1,
              walltimeMinutes: 1,
              project: null,
            },
          ],
        },
        resourceKinds: {},
        resourcesSnapshot: [],
        now: new Date(),
      }),
    ).rejects.toThrow(/names resource ghost/);
  });
});

describe("bulk task moves", () => {
  it("move exactly the rows still in the expected state and log one event each", async () => {
    const { moveTasksBulk } = await import("./bulk-moves");
    const user = await db.user.create({ data: { email: "bulk@x.org", passwordHash: "h" } });
    const res = await db.resource.create({ data: { userId: user.id, label: "local", kind: "local" } });
    const tasks = Array.from({ length: 1200 }, (_, i) => task(i));
    const run = await createRun(db, {
      userId: user.id,
      name: "bulk",
      skeletonId: null,
      strategy: "aimes",
      seed: 1,
      maxRetries: 0,
      workload: { ...workload, tasks },
      skeletonText: "x",
      plan: {
        pilots: [
          {
            resourceId: res.id,
            resource: "local",
            queue: null,
            cores: 2,
            nodes: 1,
            walltimeMinutes: 10,
            project: null,
          },
        ],
      },
      resourceKinds: { [res.id]: "local" },
      resourcesSnapshot: [],
      now: new Date(),
    });
    const rows = await db.task.findMany({ where: { runId: run.id }, select: { id: true } });
    const at = new Date();
    const first = await db.$transaction((tx) =>
      moveTasksBulk(tx, {
        runId: run.id,
        from: "NEW",
        to: "TMGR_SCHEDULING_PENDING",
        at,
        ids: rows.slice(0, 700).map((r) => r.id),
      }),
    );
    expect(first).toHaveLength(700);
    const second = await db.$transaction((tx) =>
      moveTasksBulk(tx, {
        runId: run.id,
        from: "NEW",
        to: "TMGR_SCHEDULING_PENDING",
        at,
        ids: rows.map((r) => r.id),
        reason: "start",
      }),
    );
    expect(second).toHaveLength(500);
    expect(await db.task.count({ where: { runId: run.id, state: "TMGR_SCHEDULING_PENDING" } })).toBe(1200);
    expect(await db.event.count({ where: { runId: run.id, to: "TMGR_SCHEDULING_PENDING" } })).toBe(1200);
    await expect(
      db.$transaction((tx) => moveTasksBulk(tx, { runId: run.id, from: "DONE", to: "NEW", at, ids: [] })),
    ).rejects.toThrow(/cannot move from DONE/);
  });
});
