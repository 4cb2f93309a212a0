import { execFileSync, spawnSync } from "node:child_process";
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

// A run whose only live pilot left cannot start, on the real loopback SLURM: stampede runs the
// tasks while gordon's job waits in a DOWN partition (SLURM: PENDING, reason PartitionDown).
// stampede's job is scancel'ed mid-run. gordon is not DONE, FAILED or CANCELED, but it will never
// start by itself, so the run must stop saying why (decide.ts stuckReason, queue-block.ts), not
// wait for it for ever: every open task CANCELED with the reason, gordon's job cancelled.
const SECRET = "q".repeat(43);
const bed = clusterTestBed("em-failures-stuck-", SECRET);
process.env.EMANAGER_POLL_INTERVAL_S = "1";

function liveJobs(ids: string[]): string[] {
  const r = spawnSync("squeue", ["-h", "-j", ids.join(","), "-o", "%i %T"], { encoding: "utf8" });
  return r.stdout.split("\n").filter((l) => /PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED/.test(l));
}

describe("a run whose remaining pilot waits in a DOWN partition", () => {
  it("stops with the reason once its running pilot is scancel'ed, instead of waiting for ever", async () => {
    const db = bed.db();
    const { user, resource } = await clusterUser(db, bed.cluster(), "failures-stuck@x.org", SECRET);
    const res = await Promise.all(
      ["stampede", "gordon"].map((label) => resource(label, "slurm", { defaultQueue: label })),
    );
    const { run } = await startRun(
      db,
      user.id,
      "stuck",
      demoSkeleton("uniform 3", "uniform 1"),
      res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 2 })),
    );
    const pilotOf = (label: string) => db.pilot.findFirstOrThrow({ where: { runId: run.id, label } });
    await driveUntilFinal(
      db,
      run.id,
      45_000,
      async () =>
        (await db.task.count({
          where: { runId: run.id, pilotId: (await pilotOf("stampede")).id, state: "AGENT_EXECUTING" },
        })) > 0,
    );
    const before = [await pilotOf("stampede"), await pilotOf("gordon")];
    expect(before.map((p) => p.state)).toEqual(["PMGR_ACTIVE", "PMGR_ACTIVE_PENDING"]);
    // gordon's job is there, waiting for a partition that is down
    const sq = spawnSync("squeue", ["-h", "-j", before[1]!.jobId!, "-o", "%T %r"], { encoding: "utf8" });
    expect(sq.stdout.trim()).toBe("PENDING PartitionDown");
    const running = await db.task.findMany({
      where: { runId: run.id, pilotId: before[0]!.id, state: "AGENT_EXECUTING" },
    });

    execFileSync("scancel", [before[0]!.jobId!]);
    const killedAt = Date.now();
    const final = await driveUntilFinal(db, run.id, 30_000);
    // stopped promptly: the next polls after the kill, not a timeout
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    expect(final.state).toBe("FAILED");
    expect(final.stateReason).toMatch(
      /^no pilot is left to run the \d+ remaining task\(s\)\. stampede: FAILED \(agent exited: signal[^)]*\); gordon: queued, cannot start \(PENDING: PartitionDown\)$/,
    );

    const pilots = [await pilotOf("stampede"), await pilotOf("gordon")];
    expect(pilots.map((p) => p.state)).toEqual(["FAILED", "CANCELED"]);
    expect(pilots[1]!.reason).toBe("the run finished; pilot released");
    expect(pilots[1]!.activeAt).toBeNull();

    // every task that had not finished is CANCELED with the run's reason; none FAILED, none left open
    const tasks = await db.task.findMany({ where: { runId: run.id } });
    expect(tasks.every((t) => t.state === "DONE" || t.state === "CANCELED")).toBe(true);
    const canceled = tasks.filter((t) => t.state === "CANCELED");
    expect(canceled.length).toBeGreaterThan(0);
    for (const t of canceled) expect(t.reason).toBe(`run stopped: ${final.stateReason}`);
    // what ran on stampede when it was killed was first taken back as a recorded retry, then cancelled with the run
    const events = await readEvents(db, run.id);
    for (const t of running) {
      const after = tasks.find((x) => x.id === t.id)!;
      expect([after.state, after.attempt]).toEqual(["CANCELED", 1]);
      const trail = events
        .filter((e) => e.entity === "task" && e.entityId === t.taskId && e.from !== "NEW")
        .map((e) => e.to);
      expect(trail.slice(-2)).toEqual(["TMGR_SCHEDULING_PENDING", "CANCELED"]);
    }
    const runEnd = events.filter((e) => e.entity === "run" && e.to === "FAILED");
    expect(runEnd.map((e) => e.reason)).toEqual([final.stateReason]);

    // nothing of the run left on SLURM: gordon's pending job was cancelled with the run
    const deadline = Date.now() + 10_000;
    const ids = pilots.map((p) => p.jobId!);
    while (liveJobs(ids).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    expect(liveJobs(ids)).toEqual([]);

    // the stopped run is final: more ticks write nothing
    const seq = events.at(-1)!.seq;
    const ctx = engineContext(db, { log: () => undefined });
    for (let i = 0; i < 3; i++) await engineTick(ctx, [run.id]);
    expect((await readEvents(db, run.id)).at(-1)!.seq).toBe(seq);
  }, 90_000);
});
