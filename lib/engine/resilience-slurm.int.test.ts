import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { readEvents } from "../db/events";
import { ensureCluster, type ClusterInfo } from "../../scripts/cluster/cluster-info";
import { clusterUser, demoSkeleton, driveUntilFinal, startRun } from "../test-support/engine-run";

// Failures on the real loopback SLURM + sshd, while a run is going: a pilot's job is scancel'ed
// (its tasks finish on the other pilot), and every SSH session of the cluster user is killed
// (the engine reconnects and the run completes).
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-resilience-"));
const SECRET = "r".repeat(43);
let db: Db;
let cl: ClusterInfo;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  process.env.NEXTAUTH_SECRET = SECRET;
  process.env.EMANAGER_POLL_INTERVAL_S = "1";
  cl = ensureCluster();
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(() => db.$disconnect());

async function twoPilotRun(email: string, name: string) {
  const { user, resource } = await clusterUser(db, cl, email, SECRET);
  const res = await Promise.all(
    ["stampede", "trestles"].map((label) => resource(label, "slurm", { defaultQueue: label })),
  );
  return startRun(
    db,
    user.id,
    name,
    demoSkeleton("uniform 3", "uniform 1"),
    res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 4 })),
  );
}

/** True once some task runs on `pilotLabel`'s pilot; returns that pilot. */
async function executingOn(runId: string, pilotLabel: string) {
  const p = await db.pilot.findFirst({ where: { runId, label: pilotLabel } });
  if (!p) return null;
  const n = await db.task.count({ where: { runId, pilotId: p.id, state: "AGENT_EXECUTING" } });
  return n > 0 ? p : null;
}

describe("failures during a run on the loopback SLURM cluster", () => {
  it("a pilot scancel'ed mid-run: its tasks return to the queue or are retried, and finish on the other pilot", async () => {
    const { run, workload } = await twoPilotRun("scancel@x.org", "scancel");
    let victim: Awaited<ReturnType<typeof executingOn>> = null;
    await driveUntilFinal(
      db,
      run.id,
      90_000,
      async () => (victim = await executingOn(run.id, "stampede")) !== null,
    );
    const runningThen = await db.task.findMany({
      where: { runId: run.id, pilotId: victim!.id, state: "AGENT_EXECUTING" },
    });
    execFileSync("scancel", [victim!.jobId!]);
    const final = await driveUntilFinal(db, run.id, 150_000);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilot = await db.pilot.findUniqueOrThrow({ where: { id: victim!.id } });
    expect(pilot.state).toBe("FAILED");
    expect(pilot.reason).toMatch(/agent exited: signal|CANCELLED/);
    // the tasks that were running on it were retried (attempt 1) and finished elsewhere
    for (const t of runningThen) {
      const after = await db.task.findUniqueOrThrow({ where: { id: t.id } });
      expect(after.state).toBe("DONE");
      expect(after.attempt).toBe(1);
      expect(after.pilotId).not.toBe(victim!.id);
    }
    // every task is DONE exactly once; a second execution only ever follows a recorded retry
    const events = await readEvents(db, run.id);
    const done = new Map<string, number>();
    for (const e of events)
      if (e.entity === "task" && e.to === "DONE") done.set(e.entityId, (done.get(e.entityId) ?? 0) + 1);
    expect(done.size).toBe(21);
    expect([...done.values()].every((n) => n === 1)).toBe(true);
    const retried = new Set(
      events
        .filter(
          (e) =>
            e.entity === "task" &&
            e.to === "TMGR_SCHEDULING_PENDING" &&
            (e.data as { attempt?: number } | null)?.attempt === 1,
        )
        .map((e) => e.entityId),
    );
    for (const e of events.filter((x) => x.entity === "task" && x.to === "AGENT_EXECUTING")) {
      const runs = events.filter(
        (x) => x.entity === "task" && x.entityId === e.entityId && x.to === "AGENT_EXECUTING",
      ).length;
      if (runs > 1) expect(retried.has(e.entityId)).toBe(true);
    }
  }, 300_000);

  it("every SSH session killed mid-run: the engine reconnects and the run completes", async () => {
    const { run, workload } = await twoPilotRun("sshkill@x.org", "ssh kill");
    await driveUntilFinal(
      db,
      run.id,
      90_000,
      async () =>
        (await executingOn(run.id, "stampede")) !== null || (await executingOn(run.id, "trestles")) !== null,
    );
    // the server side of every session of the cluster user (privilege-separated sshd children)
    const killed = spawnSync("pkill", ["-f", "sshd: hpcuser"]);
    expect(killed.status).toBe(0);
    const final = await driveUntilFinal(db, run.id, 150_000);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilots = await db.pilot.findMany({ where: { runId: run.id } });
    // a dropped connection is not a failed pilot
    expect(pilots.every((p) => p.state === "DONE")).toBe(true);
  }, 300_000);

  it("cancelling one pilot rebinds its tasks; cancelling the run cancels every job on SLURM and every open task", async () => {
    const { run } = await twoPilotRun("cancel@x.org", "cancel");
    let victim: Awaited<ReturnType<typeof executingOn>> = null;
    await driveUntilFinal(
      db,
      run.id,
      90_000,
      async () => (victim = await executingOn(run.id, "stampede")) !== null,
    );
    const held = await db.task.findMany({
      where: { runId: run.id, pilotId: victim!.id, state: { notIn: ["DONE", "FAILED", "CANCELED"] } },
    });
    // what the run page's "Cancel pilot" button does
    await db.pilot.update({ where: { id: victim!.id }, data: { cancelRequestedAt: new Date() } });
    await driveUntilFinal(
      db,
      run.id,
      60_000,
      async () => (await db.pilot.findUniqueOrThrow({ where: { id: victim!.id } })).state === "CANCELED",
    );
    for (const t of held) {
      const after = await db.task.findUniqueOrThrow({ where: { id: t.id } });
      expect(
        after.pilotId === null || after.pilotId !== victim!.id || ["DONE", "FAILED"].includes(after.state),
      ).toBe(true);
    }
    // what "Cancel run" does, while the other pilot still works
    await driveUntilFinal(
      db,
      run.id,
      60_000,
      async () => (await db.task.count({ where: { runId: run.id, state: "DONE" } })) >= 1,
    );
    await db.run.update({ where: { id: run.id }, data: { cancelRequestedAt: new Date() } });
    const final = await driveUntilFinal(db, run.id, 60_000);
    expect([final.state, final.stateReason]).toEqual(["CANCELED", "cancelled by the user"]);
    const tasks = await db.task.findMany({ where: { runId: run.id } });
    expect(tasks.every((t) => t.state === "DONE" || t.state === "CANCELED" || t.state === "FAILED")).toBe(
      true,
    );
    expect(tasks.some((t) => t.state === "CANCELED")).toBe(true);
    const pilots = await db.pilot.findMany({ where: { runId: run.id } });
    expect(pilots.every((p) => p.state === "CANCELED")).toBe(true);
    // nothing of this run is left queued or running on SLURM
    await new Promise((r) => setTimeout(r, 1500));
    const sq = spawnSync("squeue", ["-h", "-j", pilots.map((p) => p.jobId).join(","), "-o", "%T"], {
      encoding: "utf8",
    });
    expect(sq.stdout.split("\n").filter((l) => /PENDING|RUNNING/.test(l))).toEqual([]);
  }, 300_000);
});
