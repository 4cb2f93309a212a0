import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { readEvents } from "../db/events";
import { demoSkeleton, startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// A pilot whose agent freezes (SIGSTOP on its whole process group: agent, spawner and tasks)
// while another pilot is healthy. Its heartbeat goes stale, so after the timeout it is FAILED
// and cancelled; the tasks it held are rebound (unstarted) or retried (running) on the healthy
// pilot and the run ends DONE. The frozen agent is not left behind: cancelling a local pilot
// sends SIGCONT after SIGTERM, so a stopped agent wakes up, drains and exits.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-failures-heartbeat-"));
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
        // gone already, as it should be
      }
    }
  }
  await db.$disconnect();
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a pilot whose heartbeat goes stale beside a healthy one", () => {
  it("is FAILED, its tasks are rebound or retried on the other pilot, the run ends DONE, and the frozen agent is gone", async () => {
    const u = await db.user.create({ data: { email: "failures-hb@x.org", passwordHash: "h" } });
    const res = await db.resource.create({
      data: { userId: u.id, label: "local", kind: "local", coresPerNode: 4 },
    });
    const { run } = await startRun(
      db,
      u.id,
      "stale beside healthy",
      demoSkeleton("uniform 2", "uniform 0.5"),
      [
        { resourceId: res.id, resource: "local", kind: "local", cores: 2 },
        { resourceId: res.id, resource: "local", kind: "local", cores: 2 },
      ],
    );
    const ctx = engineContext(db, { log: () => undefined, heartbeatTimeoutS: 5 });
    let victimId: string | null = null;
    let heldAtFreeze: { id: string; taskId: string; state: string }[] = [];
    let frozenAt = 0;
    const end = Date.now() + 60_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const r = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      if (r.state !== "NEW" && r.state !== "ACTIVE") break;
      if (frozen === null) {
        const p = await db.pilot.findFirstOrThrow({ where: { runId: run.id, index: 0 } });
        const held = await db.task.findMany({
          where: { runId: run.id, pilotId: p.id, state: { in: ["AGENT_STAGING_INPUT", "AGENT_EXECUTING"] } },
        });
        if (held.some((t) => t.state === "AGENT_EXECUTING")) {
          frozen = Number(p.jobId!.replace(/^local:/, ""));
          process.kill(-frozen, "SIGSTOP");
          frozenAt = Date.now();
          victimId = p.id;
          heldAtFreeze = held;
        }
      }
      if (Date.now() > end) throw new Error("the run neither finished nor stopped");
      await new Promise((r2) => setTimeout(r2, 200));
    }
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    const pilots = await db.pilot.findMany({ where: { runId: run.id }, orderBy: { index: "asc" } });
    expect(pilots.map((p) => p.state)).toEqual(["FAILED", "DONE"]);
    expect(pilots[0]!.reason).toMatch(/^no heartbeat for \d+ s \(limit 5 s\)$/);
    const events = await readEvents(db, run.id);
    const failedAt = events.find(
      (e) => e.entity === "pilot" && e.entityId === victimId && e.to === "FAILED",
    )!.at;
    // not before the timeout, and not much after it either
    expect(failedAt - frozenAt).toBeGreaterThanOrEqual(3_000);
    expect(failedAt - frozenAt).toBeLessThan(15_000);

    // what the frozen pilot held: running tasks retried (attempt 1), the others rebound (attempt 0); all DONE on pilot 1
    expect(heldAtFreeze.length).toBeGreaterThan(0);
    for (const h of heldAtFreeze) {
      const t = await db.task.findUniqueOrThrow({ where: { id: h.id } });
      expect([t.state, t.pilotId]).toEqual(["DONE", pilots[1]!.id]);
      const back = events.filter(
        (e) => e.entityId === h.taskId && e.to === "TMGR_SCHEDULING_PENDING" && e.from !== "NEW",
      );
      expect(back).toHaveLength(1);
      const ran = events.some(
        (e) => e.entityId === h.taskId && e.to === "AGENT_EXECUTING" && e.data?.pilotId === victimId,
      );
      expect(back[0]!.reason).toMatch(
        ran
          ? /^retry: pilot local \(0\) ended FAILED: no heartbeat/
          : /^rebind: pilot local \(0\) ended FAILED: no heartbeat/,
      );
      expect(t.attempt).toBe(ran ? 1 : 0);
    }
    // all 21 tasks DONE once
    const done = events.filter((e) => e.entity === "task" && e.to === "DONE");
    expect(new Set(done.map((e) => e.entityId)).size).toBe(21);
    expect(done).toHaveLength(21);
    // the stopped agent was woken by the cancel and exited with its tasks
    const deadline = Date.now() + 10_000;
    while (groupAlive(frozen!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(groupAlive(frozen!)).toBe(false);
  }, 90_000);
});
