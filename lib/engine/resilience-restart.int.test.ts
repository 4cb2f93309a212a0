import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { testDbUrl } from "../test-support/pg";
import { readEvents } from "../db/events";
import { demoSkeleton, startRun } from "../test-support/engine-run";

// Restart safety for real: the engine runs in its own process (`emanager engine`, the loop the
// server starts), is killed with SIGKILL while tasks run, and a new engine process takes over:
// it waits out the dead one's lease, re-adopts the pilot and its sandbox, reads the agent
// events it missed, and the run completes with every task done once.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-restart-"));
// SQLite in DATA, or a fresh PostgreSQL database when EMANAGER_TEST_DB=pg
const DB_URL = testDbUrl(`file:${path.join(DATA, "emanager.db")}`);
let db: Db;
const engines: ChildProcess[] = [];
beforeAll(() => {
  db = openDb(DB_URL);
});
afterAll(async () => {
  for (const e of engines) {
    try {
      process.kill(-e.pid!, "SIGTERM");
    } catch {
      // already gone (the first one was SIGKILLed)
    }
  }
  await db.$disconnect();
});

function engine(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMANAGER_DATA_DIR: DATA,
    EMANAGER_ENGINE_INTERVAL_MS: "300",
  };
  env.DATABASE_URL = DB_URL;
  const child = spawn("node", ["bin/emanager.mjs", "engine"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  child.stdout?.on("data", (d: Buffer) => process.stderr.write(`[engine ${child.pid}] ${d.toString()}`));
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[engine ${child.pid}] ${d.toString()}`));
  engines.push(child);
  return child;
}

async function until(what: string, ms: number, pred: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) {
      const states = await db.task.groupBy({ by: ["state"], _count: true });
      const pilots = await db.pilot.findMany({ select: { state: true, reason: true, logOffset: true } });
      throw new Error(
        `timed out waiting for ${what}: tasks ${JSON.stringify(states.map((s) => [s.state, s._count]))}, pilots ${JSON.stringify(pilots)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("an engine killed mid-run", () => {
  it("is replaced by a new engine process and the run completes, no task lost or run twice", async () => {
    const u = await db.user.create({ data: { email: "restart@x.org", passwordHash: "h" } });
    const res = await db.resource.create({
      data: { userId: u.id, label: "local", kind: "local", coresPerNode: 2 },
    });
    const { run, workload } = await startRun(db, u.id, "restart", demoSkeleton("uniform 1", "uniform 1"), [
      { resourceId: res.id, resource: "local", kind: "local", cores: 2 },
    ]);
    const first = engine();
    const count = (state: string) => db.task.count({ where: { runId: run.id, state } });
    await until(
      "tasks to run under the first engine",
      60_000,
      async () => (await count("DONE")) >= 3 && (await count("AGENT_EXECUTING")) >= 1,
    );
    process.kill(-first.pid!, "SIGKILL");
    const doneAtKill = await count("DONE");
    // the agent goes on without a server: tasks finish and the events pile up in its log
    await new Promise((r) => setTimeout(r, 2000));
    engine();
    await until(
      "the run to end under the second engine",
      120_000,
      async () =>
        !["NEW", "ACTIVE"].includes((await db.run.findUniqueOrThrow({ where: { id: run.id } })).state),
    );
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    expect(doneAtKill).toBeLessThan(21);
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const events = await readEvents(db, run.id);
    const per = (to: string) => {
      const m = new Map<string, number>();
      for (const e of events)
        if (e.entity === "task" && e.to === to) m.set(e.entityId, (m.get(e.entityId) ?? 0) + 1);
      return m;
    };
    expect(per("DONE").size).toBe(21);
    expect([...per("DONE").values()].every((n) => n === 1)).toBe(true);
    // the pilot survived the server, so nothing had to be retried: every task executed once
    expect([...per("AGENT_EXECUTING").values()].every((n) => n === 1)).toBe(true);
    const pilots = await db.pilot.findMany({ where: { runId: run.id } });
    expect(pilots.map((p) => p.state)).toEqual(["DONE"]);
    // two engines held the run's lease, one after the other
    expect(final.leaseOwner).not.toBeNull();
  }, 240_000);
});
