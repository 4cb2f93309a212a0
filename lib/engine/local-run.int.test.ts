import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { testDbUrl } from "../test-support/pg";
import { readEvents } from "../db/events";
import { startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// A real run on the `local` resource: the bash agent as a child process, real files, real SQLite.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-local-run-"));
// SQLite in DATA, or a fresh PostgreSQL database when EMANAGER_TEST_DB=pg
const DB_URL = testDbUrl(`file:${path.join(DATA, "em.db")}`);
let db: Db;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  db = openDb(DB_URL);
});
afterAll(() => db.$disconnect());

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
// the SC2014 demo, with task lengths scaled down so the test takes seconds, not minutes
const demo = readFileSync(path.join(FIX, "emanager_skeleton_demo_SC2014.conf"), "utf8")
  .replace("uniform 10", "uniform 0.3")
  .replace("uniform 32", "uniform 0.5");

async function until(pred: () => Promise<boolean>, ms: number, tick: () => Promise<unknown>): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await tick();
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

describe("a run on the local resource", () => {
  it("runs the SC2014 demo skeleton to DONE with every output file at its size, each task once", async () => {
    const u = await db.user.create({ data: { email: "local@x.org", passwordHash: "h" } });
    const res = await db.resource.create({
      data: { userId: u.id, label: "local", kind: "local", coresPerNode: 4 },
    });
    const { run, workload } = await startRun(
      db,
      u.id,
      "demo",
      demo,
      [{ resourceId: res.id, resource: "local", kind: "local", cores: 4, walltimeMinutes: 5 }],
      { strategy: "aimes" },
    );
    const ctx = engineContext(db, { log: () => undefined });
    await until(
      async () =>
        (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state !== "ACTIVE" &&
        (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state !== "NEW",
      60_000,
      () => engineTick(ctx, [run.id]),
    );
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    const tasks = await db.task.findMany({ where: { runId: run.id } });
    expect(tasks.every((t) => t.state === "DONE")).toBe(true);
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const events = await readEvents(db, run.id);
    const doneCount = new Map<string, number>();
    for (const e of events)
      if (e.entity === "task" && e.to === "DONE")
        doneCount.set(e.entityId, (doneCount.get(e.entityId) ?? 0) + 1);
    expect([...doneCount.values()].every((n) => n === 1)).toBe(true);
    expect(doneCount.size).toBe(21);
    const pilotStates = events.filter((e) => e.entity === "pilot").map((e) => e.to);
    expect(pilotStates).toEqual(["NEW", "PMGR_LAUNCHING", "PMGR_ACTIVE_PENDING", "PMGR_ACTIVE", "DONE"]);
    // stage barrier: Stage_2 starts only after every Stage_1 task is done
    const lastStage1Done = Math.max(
      ...events.filter((e) => e.to === "DONE" && e.entityId.startsWith("Stage_1")).map((e) => e.at),
    );
    const stage2Exec = events.find((e) => e.to === "AGENT_EXECUTING" && e.entityId === "Stage_2_0")!.at;
    expect(stage2Exec).toBeGreaterThanOrEqual(lastStage1Done);
  });
});
