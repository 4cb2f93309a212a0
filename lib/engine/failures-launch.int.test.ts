import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { readEvents } from "../db/events";
import { movePilot } from "../db/state-writes";
import { LAUNCH_ABANDONED_MS } from "./recover";
import { demoSkeleton, startRun } from "../test-support/engine-run";
import { engineContext, engineTick, localPilotSite } from "./wiring";

// Restart safety at the one moment the job id is not yet known: a server killed while it
// submitted a pilot leaves the pilot in PMGR_LAUNCHING, and its job may or may not have been
// queued. Here it was: the dead server's part is played for real (the pilot moved to
// PMGR_LAUNCHING with its event, the real agent started in the very sandbox the engine uses, the
// job id never recorded). A new engine must not wait for that pilot for ever: once the launch is
// older than any submission takes, it FAILS it with the reason, leaves a drain request in its
// sandbox (so the orphan agent exits by itself), and the run completes on the other pilot. A
// launch that recent is another engine's, still at work: left alone.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-failures-launch-"));
let db: Db;
let orphan: number | null = null;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(async () => {
  if (orphan) {
    try {
      process.kill(-orphan, "SIGKILL");
    } catch {
      // gone already, as it should be
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

describe("a pilot whose submission a killed server left half done", () => {
  it("is FAILED by the next engine, its orphan agent drains and exits, and the run completes on the other pilot", async () => {
    const u = await db.user.create({ data: { email: "failures-launch@x.org", passwordHash: "h" } });
    const res = await db.resource.create({
      data: { userId: u.id, label: "local", kind: "local", coresPerNode: 4 },
    });
    const { run } = await startRun(
      db,
      u.id,
      "interrupted launch",
      demoSkeleton("uniform 0.3", "uniform 0.3"),
      [
        { resourceId: res.id, resource: "local", kind: "local", cores: 2 },
        { resourceId: res.id, resource: "local", kind: "local", cores: 2 },
      ],
    );
    // the dead server: pilot 1 moved to PMGR_LAUNCHING (longer ago than any submission takes), its
    // agent started, the job id never written
    const victim = await db.pilot.findFirstOrThrow({ where: { runId: run.id, index: 1 } });
    const launchAt = new Date(Date.now() - LAUNCH_ABANDONED_MS - 60_000);
    await db.$transaction((tx) =>
      movePilot(tx, {
        id: victim.id,
        runId: run.id,
        entityId: victim.id,
        from: "NEW",
        to: "PMGR_LAUNCHING",
        at: launchAt,
      }),
    );
    const site = localPilotSite(path.join(DATA, "sandboxes"));
    const sandbox = `${await site.sandboxRoot()}/run-${run.id}/pilot-1`;
    const launched = await site.launch({
      pilotId: victim.id,
      sandbox,
      jobName: "orphan",
      cores: 2,
      nodes: 1,
      walltimeMinutes: 10,
      queue: null,
      project: null,
      envSetup: [],
    });
    if (!launched.ok) throw new Error(launched.message);
    orphan = Number(launched.jobId.replace(/^local:/, ""));
    expect(groupAlive(orphan)).toBe(true);

    const ctx = engineContext(db, { log: () => undefined });
    const end = Date.now() + 45_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const st = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state;
      if (st !== "NEW" && st !== "ACTIVE") break;
      if (Date.now() > end) throw new Error("the run did not end");
      await new Promise((r) => setTimeout(r, 150));
    }
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect([final.state, final.stateReason]).toEqual(["DONE", "all 21 task(s) done"]);
    const pilots = await db.pilot.findMany({ where: { runId: run.id }, orderBy: { index: "asc" } });
    expect(pilots.map((p) => [p.state, p.jobId === null])).toEqual([
      ["DONE", false],
      ["FAILED", true],
    ]);
    expect(pilots[1]!.reason).toBe(
      "its submission was interrupted by a server restart; a job that was queued anyway is told to drain when it starts",
    );

    // the Event table: the victim's whole life, and no task ever bound to it
    const events = await readEvents(db, run.id);
    expect(
      events.filter((e) => e.entity === "pilot" && e.entityId === victim.id).map((e) => [e.from, e.to]),
    ).toEqual([
      [null, "NEW"],
      ["NEW", "PMGR_LAUNCHING"],
      ["PMGR_LAUNCHING", "FAILED"],
    ]);
    const task = events.filter((e) => e.entity === "task");
    expect(task.filter((e) => e.data?.pilotId === victim.id)).toEqual([]);
    expect(new Set(task.filter((e) => e.to === "DONE").map((e) => e.entityId)).size).toBe(21);
    expect(task.filter((e) => e.to === "DONE")).toHaveLength(21);

    // the orphan agent found the drain request and left on its own
    expect(existsSync(path.join(sandbox, "control", "drain"))).toBe(true);
    const deadline = Date.now() + 15_000;
    while (groupAlive(orphan) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(groupAlive(orphan)).toBe(false);
    expect(readFileSync(path.join(sandbox, "events.log"), "utf8")).toMatch(
      /agent_draining\S*\s.*drain_requested/,
    );
  }, 60_000);

  it("a launch that recent is left to the engine doing it", async () => {
    const u = await db.user.create({ data: { email: "failures-launch-recent@x.org", passwordHash: "h" } });
    const res = await db.resource.create({
      data: { userId: u.id, label: "local", kind: "local", coresPerNode: 2 },
    });
    const { run } = await startRun(
      db,
      u.id,
      "launch in progress",
      demoSkeleton("uniform 0.3", "uniform 0.3"),
      [{ resourceId: res.id, resource: "local", kind: "local", cores: 2 }],
    );
    const p = await db.pilot.findFirstOrThrow({ where: { runId: run.id } });
    await db.$transaction((tx) =>
      movePilot(tx, {
        id: p.id,
        runId: run.id,
        entityId: p.id,
        from: "NEW",
        to: "PMGR_LAUNCHING",
        at: new Date(Date.now() - 60_000),
      }),
    );
    const ctx = engineContext(db, { log: () => undefined });
    for (let i = 0; i < 3; i++) await engineTick(ctx, [run.id]);
    expect((await db.pilot.findUniqueOrThrow({ where: { id: p.id } })).state).toBe("PMGR_LAUNCHING");
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).state).toBe("ACTIVE");
  }, 30_000);
});
