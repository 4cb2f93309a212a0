import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../scripts/cluster/cluster-info";
import { openDb, type Db } from "../db/client";
import { readEvents } from "../db/events";
import { clusterUser, demoSkeleton, driveUntilFinal, startRun } from "../test-support/engine-run";
import { ensureSge, sgeJobsOf, type SgeInfo } from "../test-support/sge";

// The engine on the real loopback Grid Engine cell (scripts/cluster/sge-up.sh) over the real sshd,
// as the SLURM suites do on SLURM: the SC2014 demo with a pilot qsub refuses (more slots than any
// queue: `-w e` says "no suitable queues", as blacklight's sbatch refuses) and one in the disabled
// queue dead.q (accepted, waits for ever, as gordon); a pilot qdel'ed mid-run; the run cancelled.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-sge-run-"));
const SECRET = "g".repeat(43);
let db: Db;
let cl: ClusterInfo;
let sge: SgeInfo;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  process.env.NEXTAUTH_SECRET = SECRET;
  process.env.EMANAGER_POLL_INTERVAL_S = "1";
  ({ cluster: cl, sge } = ensureSge());
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(() => db.$disconnect());

/** True once some task runs on `label`'s pilot; returns that pilot. */
async function executingOn(runId: string, label: string) {
  const p = await db.pilot.findFirst({ where: { runId, label } });
  if (!p) return null;
  return (await db.task.count({ where: { runId, pilotId: p.id, state: "AGENT_EXECUTING" } })) > 0 ? p : null;
}

async function twoPilotRun(email: string, name: string) {
  const { user, resource } = await clusterUser(db, cl, email, SECRET);
  const res = await Promise.all(
    ["sge-a", "sge-b"].map((label) => resource(label, "sge", { defaultQueue: sge.enabledQueue })),
  );
  return startRun(
    db,
    user.id,
    name,
    demoSkeleton("uniform 3", "uniform 1"),
    res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "sge", queue: sge.enabledQueue, cores: 2 })),
  );
}

/** Every task DONE exactly once; a second execution only after a recorded retry. */
async function doneOnce(runId: string) {
  const events = await readEvents(db, runId);
  const done = new Map<string, number>();
  for (const e of events)
    if (e.entity === "task" && e.to === "DONE") done.set(e.entityId, (done.get(e.entityId) ?? 0) + 1);
  expect(done.size).toBe(21);
  expect([...done.values()].every((n) => n === 1)).toBe(true);
  const retried = new Set(
    events
      .filter(
        (e) => e.entity === "task" && e.to === "TMGR_SCHEDULING_PENDING" && e.reason?.startsWith("retry:"),
      )
      .map((e) => e.entityId),
  );
  for (const id of done.keys()) {
    const runs = events.filter(
      (x) => x.entity === "task" && x.entityId === id && x.to === "AGENT_EXECUTING",
    ).length;
    if (runs > 1) expect(retried.has(id), id).toBe(true);
  }
  return events;
}

describe("runs on the loopback Grid Engine cell", () => {
  it("runs the SC2014 demo on two SGE pilots past one qsub refuses and one that never starts in a disabled queue", async () => {
    const { user, resource } = await clusterUser(db, cl, "sge-demo@x.org", SECRET);
    const plan = [
      { label: "sge-a", queue: sge.enabledQueue, cores: 3 },
      { label: "sge-b", queue: sge.enabledQueue, cores: 2 },
      { label: "sge-wide", queue: sge.enabledQueue, cores: sge.slots * 2 },
      { label: "sge-dead", queue: sge.disabledQueue, cores: 1 },
    ];
    const res = await Promise.all(plan.map((p) => resource(p.label, "sge", { defaultQueue: p.queue })));
    const { run, workload } = await startRun(
      db,
      user.id,
      "sge demo",
      demoSkeleton("uniform 1", "uniform 2"),
      plan.map((p, i) => ({
        resourceId: res[i]!.id,
        resource: p.label,
        kind: "sge",
        queue: p.queue,
        cores: p.cores,
      })),
    );
    const final = await driveUntilFinal(db, run.id, 150_000);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilots = new Map((await db.pilot.findMany({ where: { runId: run.id } })).map((p) => [p.label, p]));
    expect(pilots.get("sge-wide")?.state).toBe("FAILED");
    expect(pilots.get("sge-wide")?.reason).toMatch(/no suitable queues/);
    expect(pilots.get("sge-wide")?.jobId).toBeNull();
    expect(pilots.get("sge-dead")?.state).toBe("CANCELED");
    expect(pilots.get("sge-dead")?.activeAt).toBeNull();
    expect(pilots.get("sge-dead")?.jobId).toMatch(/^\d+$/);
    expect(pilots.get("sge-a")?.activeAt).not.toBeNull();
    const events = await doneOnce(run.id);
    const ran = new Set(events.filter((e) => e.to === "AGENT_EXECUTING").map((e) => e.data?.pilotId));
    expect(ran.has(pilots.get("sge-wide")!.id) || ran.has(pilots.get("sge-dead")!.id)).toBe(false);
    // the never-started job was deleted when the run ended: nothing of this run is left in qstat
    await new Promise((r) => setTimeout(r, 1500));
    const ids = new Set([...pilots.values()].map((p) => p.jobId));
    expect(sgeJobsOf(sge.user).filter((j) => ids.has(j.id))).toEqual([]);
  }, 200_000);

  it("a pilot qdel'ed mid-run: its tasks are retried and finish on the other pilot", async () => {
    const { run, workload } = await twoPilotRun("sge-qdel@x.org", "sge qdel");
    let victim: Awaited<ReturnType<typeof executingOn>> = null;
    await driveUntilFinal(
      db,
      run.id,
      90_000,
      async () => (victim = await executingOn(run.id, "sge-a")) !== null,
    );
    const runningThen = await db.task.findMany({
      where: { runId: run.id, pilotId: victim!.id, state: "AGENT_EXECUTING" },
    });
    // root is a Grid Engine manager: it may delete hpcuser's job, as an administrator would
    execFileSync("qdel", [victim!.jobId!]);
    const final = await driveUntilFinal(db, run.id, 150_000);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilot = await db.pilot.findUniqueOrThrow({ where: { id: victim!.id } });
    expect(pilot.state, pilot.reason ?? "").toBe("FAILED");
    // qdel kills the agent (SIGKILL): the end is known from qmaster, not from the agent
    expect(pilot.reason).toMatch(/^batch job \d+ ended: qmaster no longer knows the job/);
    for (const t of runningThen) {
      const after = await db.task.findUniqueOrThrow({ where: { id: t.id } });
      expect(after.state).toBe("DONE");
      expect(after.attempt).toBe(1);
      expect(after.pilotId).not.toBe(victim!.id);
    }
    await doneOnce(run.id);
  }, 300_000);

  it("cancelling the run deletes every job on Grid Engine and cancels every open task", async () => {
    const { run } = await twoPilotRun("sge-cancel@x.org", "sge cancel");
    await driveUntilFinal(
      db,
      run.id,
      90_000,
      async () =>
        (await executingOn(run.id, "sge-a")) !== null || (await executingOn(run.id, "sge-b")) !== null,
    );
    const jobs = (await db.pilot.findMany({ where: { runId: run.id } }))
      .map((p) => p.jobId)
      .filter((j): j is string => j !== null);
    expect(sgeJobsOf(sge.user).filter((j) => jobs.includes(j.id)).length).toBeGreaterThan(0);
    await db.run.update({ where: { id: run.id }, data: { cancelRequestedAt: new Date() } });
    const final = await driveUntilFinal(db, run.id, 60_000);
    expect([final.state, final.stateReason]).toEqual(["CANCELED", "cancelled by the user"]);
    const tasks = await db.task.findMany({ where: { runId: run.id } });
    expect(tasks.every((t) => ["DONE", "CANCELED", "FAILED"].includes(t.state))).toBe(true);
    expect(tasks.some((t) => t.state === "CANCELED")).toBe(true);
    expect((await db.pilot.findMany({ where: { runId: run.id } })).every((p) => p.state === "CANCELED")).toBe(
      true,
    );
    // a deleted running job may show `dr` for a moment: wait for qmaster to forget it
    const end = Date.now() + 20_000;
    while (sgeJobsOf(sge.user).some((j) => jobs.includes(j.id)) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 500));
    expect(sgeJobsOf(sge.user).filter((j) => jobs.includes(j.id))).toEqual([]);
  }, 300_000);
});
