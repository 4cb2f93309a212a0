import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { readEvents } from "../db/events";
import {
  clusterTestBed,
  clusterUser,
  demoSkeleton,
  driveUntilFinal,
  startRun,
} from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// "Cancel run" while tasks run on two active SLURM pilots and a third pilot waits in a DOWN
// partition (gordon): every job of the run leaves SLURM (running and pending alike), every
// pilot is CANCELED, every task that had not finished is CANCELED (none FAILED: a cancel is
// not a failure), the run is CANCELED with the reason, and later ticks change nothing.
const SECRET = "c".repeat(43);
const bed = clusterTestBed("em-failures-cancel-", SECRET);
process.env.EMANAGER_POLL_INTERVAL_S = "1";

function liveJobs(ids: string[]): string[] {
  const r = spawnSync("squeue", ["-h", "-j", ids.join(","), "-o", "%i %T"], { encoding: "utf8" });
  return r.stdout.split("\n").filter((l) => /PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED/.test(l));
}

describe("cancelling a run on SLURM", () => {
  it("cancels every job on SLURM (running and queued), every pilot and every open task", async () => {
    const db = bed.db();
    const { user, resource } = await clusterUser(db, bed.cluster(), "failures-cancel@x.org", SECRET);
    const res = await Promise.all(
      ["stampede", "trestles", "gordon"].map((label) => resource(label, "slurm", { defaultQueue: label })),
    );
    const { run } = await startRun(
      db,
      user.id,
      "cancel",
      demoSkeleton("uniform 5", "uniform 1"),
      res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 2 })),
    );
    // until both active pilots run tasks (gordon's job stays PENDING in its DOWN partition)
    await driveUntilFinal(
      db,
      run.id,
      60_000,
      async () =>
        (await db.pilot.count({ where: { runId: run.id, state: "PMGR_ACTIVE" } })) === 2 &&
        (await db.task.count({ where: { runId: run.id, state: "AGENT_EXECUTING" } })) >= 3,
    );
    const before = await db.pilot.findMany({ where: { runId: run.id }, orderBy: { index: "asc" } });
    expect(before.map((p) => p.state)).toEqual(["PMGR_ACTIVE", "PMGR_ACTIVE", "PMGR_ACTIVE_PENDING"]);
    const jobIds = before.map((p) => p.jobId!);
    expect(liveJobs(jobIds)).toHaveLength(3);
    const open = await db.task.findMany({
      where: { runId: run.id, state: { notIn: ["DONE", "FAILED", "CANCELED"] } },
    });
    expect(open.length).toBeGreaterThan(0);

    // what the run page's "Cancel run" does
    const askedAt = Date.now();
    await db.run.update({ where: { id: run.id }, data: { cancelRequestedAt: new Date() } });
    const final = await driveUntilFinal(db, run.id, 30_000);
    expect(Date.now() - askedAt).toBeLessThan(15_000);
    expect([final.state, final.stateReason]).toEqual(["CANCELED", "cancelled by the user"]);
    const pilots = await db.pilot.findMany({ where: { runId: run.id }, orderBy: { index: "asc" } });
    expect(pilots.map((p) => [p.label, p.state, p.reason])).toEqual(
      ["stampede", "trestles", "gordon"].map((l) => [l, "CANCELED", "the run was cancelled by the user"]),
    );
    // every task that was open is CANCELED; nothing FAILED
    const tasks = await db.task.findMany({ where: { runId: run.id } });
    expect(tasks.filter((t) => t.state === "FAILED")).toEqual([]);
    for (const t of open) expect(tasks.find((x) => x.id === t.id)!.state).toBe("CANCELED");
    expect(tasks.every((t) => t.state === "DONE" || t.state === "CANCELED")).toBe(true);

    // SLURM: nothing of the run left queued or running (scancel takes a moment to clear a running job)
    const deadline = Date.now() + 15_000;
    while (liveJobs(jobIds).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(liveJobs(jobIds)).toEqual([]);

    // a cancelled run is final: more ticks write no events
    const seq = (await readEvents(db, run.id)).at(-1)!.seq;
    const ctx = engineContext(db, { log: () => undefined });
    for (let i = 0; i < 3; i++) await engineTick(ctx, [run.id]);
    expect((await readEvents(db, run.id)).at(-1)!.seq).toBe(seq);
  }, 120_000);
});
