import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { testDbUrl } from "../test-support/pg";
import { readEvents } from "../db/events";
import type { PilotSite } from "./ports";
import { demoSkeleton, startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// A task that exits non-zero, on the real local agent: it is FAILED with its exit code and its
// stderr kept in the run directory; the tasks that need its output fail saying so; the others
// finish; the run ends FAILED with the count. The failure is injected by a test-only wrapper
// around the real local site (a FAKE fault: one task is handed an input file that does not
// exist), so the agent's own synthetic program fails the way a real program would.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-task-fail-"));
// SQLite in DATA, or a fresh PostgreSQL database when EMANAGER_TEST_DB=pg
const DB_URL = testDbUrl(`file:${path.join(DATA, "em.db")}`);
let db: Db;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  db = openDb(DB_URL);
});
afterAll(() => db.$disconnect());

const VICTIM = "Stage_1_3";

function withMissingInput(site: PilotSite): PilotSite {
  return {
    ...site,
    submitTasks: (sb, seq, tasks) =>
      site.submitTasks(
        sb,
        seq,
        tasks.map((t) =>
          t.taskId === VICTIM ? { ...t, inputs: [...t.inputs, "Stage_1_Input/not-there"] } : t,
        ),
      ),
  };
}

describe("a task that exits non-zero", () => {
  it("fails with its exit code and stderr kept; its dependents fail saying why; the rest finish", async () => {
    const u = await db.user.create({ data: { email: "fail@x.org", passwordHash: "h" } });
    const res = await db.resource.create({
      data: { userId: u.id, label: "local", kind: "local", coresPerNode: 4 },
    });
    const { run, workload } = await startRun(
      db,
      u.id,
      "failing task",
      demoSkeleton("uniform 0.2", "uniform 0.2"),
      [{ resourceId: res.id, resource: "local", kind: "local", cores: 4 }],
    );
    const ctx = engineContext(db, { log: () => undefined });
    const real = ctx.site.bind(ctx);
    ctx.site = async (resourceId, kind) => withMissingInput(await real(resourceId, kind));
    const end = Date.now() + 60_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const st = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state;
      if (st !== "NEW" && st !== "ACTIVE") break;
      if (Date.now() > end) throw new Error("the run did not end");
      await new Promise((r) => setTimeout(r, 150));
    }
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const tasks = new Map((await db.task.findMany({ where: { runId: run.id } })).map((t) => [t.taskId, t]));
    const victim = tasks.get(VICTIM)!;
    expect([victim.state, victim.exitCode, victim.reason]).toEqual([
      "FAILED",
      3,
      "the task exited with a non-zero code",
    ]);
    expect(readFileSync(path.join(final.dir!, "tasks", `${VICTIM}.0`, "stderr"), "utf8")).toMatch(
      /cannot read input .*Stage_1_Input\/not-there/,
    );
    const needsIt = workload.tasks.filter((t) => t.dependsOn.includes(VICTIM)).map((t) => t.id);
    expect(needsIt.length).toBeGreaterThan(0);
    for (const id of needsIt)
      expect([tasks.get(id)!.state, tasks.get(id)!.reason]).toEqual([
        "FAILED",
        `its input comes from ${VICTIM}, which FAILED`,
      ]);
    const others = workload.tasks.filter((t) => t.id !== VICTIM && !needsIt.includes(t.id));
    expect(others.every((t) => tasks.get(t.id)!.state === "DONE")).toBe(true);
    expect(final.state).toBe("FAILED");
    expect(final.stateReason).toBe(`${1 + needsIt.length} of 21 task(s) failed`);
    // never retried: a program's own failure is not the pilot's fault
    const events = await readEvents(db, run.id);
    expect(events.filter((e) => e.entityId === VICTIM && e.to === "AGENT_EXECUTING")).toHaveLength(1);
  }, 90_000);
});
