import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { demoSkeleton, startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// A pilot that stops answering, for real: the local agent is frozen with SIGSTOP, so its
// heartbeat file stops moving. The engine marks the pilot FAILED after the heartbeat timeout,
// takes its tasks back, and, with no pilot left, stops the run with the reason instead of hanging.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-heartbeat-"));
let db: Db;
let frozen: number | null = null;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(async () => {
  if (frozen) {
    for (const sig of ["SIGCONT", "SIGKILL"] as const) {
      try {
        process.kill(-frozen, sig);
      } catch {
        // gone already
      }
    }
  }
  await db.$disconnect();
});

describe("a pilot whose heartbeat goes stale", () => {
  it("is FAILED, its tasks are taken back, and a run with no pilot left stops saying why", async () => {
    const u = await db.user.create({ data: { email: "hb@x.org", passwordHash: "h" } });
    const res = await db.resource.create({
      data: { userId: u.id, label: "local", kind: "local", coresPerNode: 2 },
    });
    const { run } = await startRun(db, u.id, "stale", demoSkeleton("uniform 20", "uniform 1"), [
      { resourceId: res.id, resource: "local", kind: "local", cores: 2 },
    ]);
    const ctx = engineContext(db, { log: () => undefined, heartbeatTimeoutS: 5 });
    const end = Date.now() + 90_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const r = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      if (r.state !== "NEW" && r.state !== "ACTIVE") break;
      const p = await db.pilot.findFirstOrThrow({ where: { runId: run.id } });
      if (
        frozen === null &&
        (await db.task.count({ where: { runId: run.id, state: "AGENT_EXECUTING" } })) > 0
      ) {
        frozen = Number(p.jobId!.replace(/^local:/, ""));
        process.kill(-frozen, "SIGSTOP"); // the agent's whole session: agent, spawner and tasks
      }
      if (Date.now() > end) throw new Error("the run neither finished nor stopped");
      await new Promise((r2) => setTimeout(r2, 300));
    }
    const pilot = await db.pilot.findFirstOrThrow({ where: { runId: run.id } });
    expect(pilot.state).toBe("FAILED");
    expect(pilot.reason).toMatch(/^no heartbeat for \d+ s \(limit 5 s\)$/);
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state).toBe("FAILED");
    expect(final.stateReason).toMatch(
      /^no pilot is left to run the \d+ remaining task\(s\)\. local: FAILED \(no heartbeat/,
    );
    const tasks = await db.task.findMany({ where: { runId: run.id } });
    expect(tasks.some((t) => t.state === "DONE")).toBe(false);
    expect(tasks.every((t) => t.state === "FAILED" || t.state === "CANCELED")).toBe(true);
  }, 120_000);
});
