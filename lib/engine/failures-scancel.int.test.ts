import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { readEvents } from "../db/events";
import type { RunEvent } from "../model/event";
import { clusterTestBed, clusterUser, driveUntilFinal, startRun } from "../test-support/engine-run";

// A pilot's SLURM job scancel'ed while tasks run on it and more wait in its agent, on the real
// loopback SLURM + sshd. Each 2-core pilot holds 3 tasks (2 running, 1 prefetched), so the kill
// catches both kinds: the unstarted one goes back to the wait queue under the same id and
// attempt (a rebind), the running ones are retried on the other pilot (attempt + 1, a recorded
// retry) when the run allows it, and FAILED naming the pilot when it does not.
const SECRET = "s".repeat(43);
const bed = clusterTestBed("em-failures-scancel-", SECRET);
process.env.EMANAGER_POLL_INTERVAL_S = "1";

const stage = (name: string, n: number, len: string, inputs: string) => `
Stage_Name = ${name}
    Task_Type = serial
    Num_Tasks = ${n}
    Task_Length = uniform ${len}
    Num_Processes = 1
    Read_Buffer = 65536
    Write_Buffer = 65536
${inputs}
    Output_Files_Each_Task = 1
        Output_1.Size = uniform 100
    Interleave_Option = 0
`;
// 6 tasks of 4 s, then one that reads all their outputs (a stage barrier)
const SKELETON = `Num_Stage = 2
${stage("Stage_1", 6, "4", "    Input_Files_Each_Task = 1\n        Input_1.Source = filesystem\n        Input_1.Size = uniform 1000")}
${stage("Stage_2", 1, "0.5", "    Input_Files_Each_Task = 6\n        Input_Task_Mapping = combination Stage_1.Output_1 6")}`;

/** Runs until the victim pilot has running and prefetched tasks, scancels its job, and drives the run to its end. */
async function scancelMidRun(email: string, maxRetries: number) {
  const db = bed.db();
  const { user, resource } = await clusterUser(db, bed.cluster(), email, SECRET);
  const res = await Promise.all(
    ["stampede", "trestles"].map((label) => resource(label, "slurm", { defaultQueue: label })),
  );
  const { run } = await startRun(
    db,
    user.id,
    email,
    SKELETON,
    res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 2 })),
  );
  await db.run.update({ where: { id: run.id }, data: { maxRetries } });
  const victimOf = () => db.pilot.findFirstOrThrow({ where: { runId: run.id, label: "stampede" } });
  const held = async (state: string) =>
    db.task.findMany({ where: { runId: run.id, pilotId: (await victimOf()).id, state } });
  await driveUntilFinal(
    db,
    run.id,
    60_000,
    async () => (await held("AGENT_EXECUTING")).length > 0 && (await held("AGENT_STAGING_INPUT")).length > 0,
  );
  const victim = await victimOf();
  const running = await held("AGENT_EXECUTING");
  const waiting = await held("AGENT_STAGING_INPUT");
  execFileSync("scancel", [victim.jobId!]);
  const final = await driveUntilFinal(db, run.id, 60_000);
  const events = await readEvents(db, run.id);
  const after = new Map((await db.task.findMany({ where: { runId: run.id } })).map((t) => [t.id, t]));
  return { final, victim: await victimOf(), running, waiting, events, after };
}

const ofTask = (events: RunEvent[], id: string, to: string) =>
  events.filter((e) => e.entity === "task" && e.entityId === id && e.to === to);

describe("a pilot scancel'ed mid-run on SLURM", () => {
  it("with retries allowed: unstarted tasks are rebound under the same id and attempt, running ones retried elsewhere; the run ends DONE", async () => {
    const { final, victim, running, waiting, events, after } = await scancelMidRun("scancel-retry@x.org", 1);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    expect(victim.state).toBe("FAILED");
    expect(victim.reason).toMatch(/agent exited: signal|CANCELLED/);
    const other = await bed.db().pilot.findFirstOrThrow({ where: { runId: final.id, label: "trestles" } });
    expect(other.state).toBe("DONE");
    const cause = /^pilot stampede \(0\) ended FAILED: /;
    for (const t of running) {
      const a = after.get(t.id)!;
      expect([a.state, a.attempt, a.pilotId]).toEqual(["DONE", 1, other.id]);
      const retry = ofTask(events, t.taskId, "TMGR_SCHEDULING_PENDING").filter((e) => e.from !== "NEW");
      expect(retry).toHaveLength(1);
      expect(retry[0]!.reason).toMatch(/^retry: pilot stampede \(0\) ended FAILED: /);
      expect(retry[0]!.data).toMatchObject({ fromPilotId: victim.id, attempt: 1 });
      // executed twice, once per attempt, each on its own pilot
      expect(
        ofTask(events, t.taskId, "AGENT_EXECUTING").map((e) => [e.data?.attempt, e.data?.pilotId]),
      ).toEqual([
        [0, victim.id],
        [1, other.id],
      ]);
    }
    for (const t of waiting) {
      const a = after.get(t.id)!;
      // same row, same skeleton id, same attempt: a rebind is not a retry
      expect([a.id, a.taskId, a.state, a.attempt, a.pilotId]).toEqual([t.id, t.taskId, "DONE", 0, other.id]);
      const back = ofTask(events, t.taskId, "TMGR_SCHEDULING_PENDING").filter((e) => e.from !== "NEW");
      expect(back).toHaveLength(1);
      expect(back[0]!.reason?.replace(/^rebind: /, "")).toMatch(cause);
      expect(back[0]!.data).toMatchObject({ fromPilotId: victim.id, attempt: 0 });
      expect(ofTask(events, t.taskId, "AGENT_EXECUTING").map((e) => e.data?.pilotId)).toEqual([other.id]);
    }
    // every task DONE exactly once; no task executed twice without a recorded retry
    const done = events.filter((e) => e.entity === "task" && e.to === "DONE");
    expect(done).toHaveLength(7);
    expect(new Set(done.map((e) => e.entityId)).size).toBe(7);
    for (const id of new Set(events.filter((e) => e.entity === "task").map((e) => e.entityId))) {
      const execs = ofTask(events, id, "AGENT_EXECUTING").length;
      const retries = ofTask(events, id, "TMGR_SCHEDULING_PENDING").filter((e) =>
        e.reason?.startsWith("retry:"),
      ).length;
      expect(execs, id).toBeLessThanOrEqual(1 + retries);
    }
  }, 120_000);

  it("with no retries: the running tasks are FAILED naming the pilot, the unstarted one still runs elsewhere, and the run ends (FAILED, with the count)", async () => {
    const { final, victim, running, waiting, events, after } = await scancelMidRun(
      "scancel-noretry@x.org",
      0,
    );
    expect(victim.state).toBe("FAILED");
    for (const t of running) {
      const a = after.get(t.id)!;
      expect([a.state, a.attempt]).toEqual(["FAILED", 0]);
      expect(a.reason).toMatch(
        /^pilot stampede \(0\) ended FAILED: .* while the task ran \(no retries left\)$/,
      );
      expect(ofTask(events, t.taskId, "AGENT_EXECUTING")).toHaveLength(1);
    }
    for (const t of waiting) expect([after.get(t.id)!.state, after.get(t.id)!.attempt]).toEqual(["DONE", 0]);
    // the barrier task needs every Stage_1 output, so it fails saying which input is missing
    const s2 = [...after.values()].find((t) => t.taskId === "Stage_2_0")!;
    expect(s2.state).toBe("FAILED");
    expect(s2.reason).toMatch(/^its input comes from Stage_1_\d, which FAILED$/);
    expect([final.state, final.stateReason]).toEqual(["FAILED", `${running.length + 1} of 7 task(s) failed`]);
  }, 120_000);
});
