import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readEvents } from "../db/events";
import type { PilotSite } from "./ports";
import { clusterTestBed, clusterUser, startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// SSH connections killed for real (the server side of every loopback session of the cluster
// user: `pkill -f 'sshd: hpcuser'`), at each step of a run: just before the first pilot
// submission, the first input staging, the first task hand-over, the first event-log read, the
// first batch poll and the first output staging, and once more while tasks execute. TEST-ONLY
// FAULT SWITCH: a wrapper around the real remote site that pulls the plug before delegating.
// The transport must reconnect and the run complete with no pilot failed and no task lost.
const SECRET = "h".repeat(43);
const bed = clusterTestBed("em-failures-ssh-", SECRET);
process.env.EMANAGER_POLL_INTERVAL_S = "1";

function killSessions(): void {
  spawnSync("pkill", ["-f", "sshd: hpcuser"]);
}

const STEPS = ["launch", "stageIn", "submitTasks", "readFacts", "poll", "stageOut"] as const;
type Step = (typeof STEPS)[number];

/** TEST-ONLY: kills every SSH session of the cluster user before the first call of each step. */
function unplugging(site: PilotSite, fired: Set<Step>): PilotSite {
  const before = async (s: Step) => {
    if (fired.has(s)) return;
    fired.add(s);
    killSessions();
    await new Promise((r) => setTimeout(r, 150)); // sshd is gone before the call goes out
  };
  return {
    ...site,
    launch: async (spec) => (await before("launch"), site.launch(spec)),
    stageIn: async (sb, dir, rel) => (await before("stageIn"), site.stageIn(sb, dir, rel)),
    submitTasks: async (sb, seq, tasks) => (await before("submitTasks"), site.submitTasks(sb, seq, tasks)),
    readFacts: async (sb, off) => (await before("readFacts"), site.readFacts(sb, off)),
    poll: async (ids) => (await before("poll"), site.poll(ids)),
    stageOut: async (sb, dir, rel) => (await before("stageOut"), site.stageOut(sb, dir, rel)),
  };
}

describe("SSH connections killed during a run on SLURM", () => {
  it("the transport reconnects at every step, and the run completes with no pilot failed and no task lost", async () => {
    const db = bed.db();
    const { user, resource } = await clusterUser(db, bed.cluster(), "failures-ssh@x.org", SECRET);
    const res = await Promise.all(
      ["stampede", "hopper"].map((label) => resource(label, "slurm", { defaultQueue: label })),
    );
    const { run, workload } = await startRun(
      db,
      user.id,
      "ssh kills",
      demoSkeletonSmall(),
      res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 3 })),
    );
    const logs: string[] = [];
    const ctx = engineContext(db, { log: (m) => logs.push(m) });
    const real = ctx.site.bind(ctx);
    const fired = new Set<Step>();
    ctx.site = async (resourceId, kind) => unplugging(await real(resourceId, kind), fired);

    let midRunKill = false;
    const end = Date.now() + 90_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const st = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state;
      if (st !== "NEW" && st !== "ACTIVE") break;
      if (!midRunKill && (await db.task.count({ where: { runId: run.id, state: "AGENT_EXECUTING" } })) >= 2) {
        midRunKill = true;
        killSessions();
      }
      if (Date.now() > end)
        throw new Error(`the run did not end; engine log: ${logs.slice(-10).join(" | ")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect([...fired].sort()).toEqual([...STEPS].sort());
    expect(midRunKill).toBe(true);

    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state, `${final.stateReason}; engine log: ${logs.join(" | ")}`).toBe("DONE");
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    // a dropped connection is not a failed pilot, and nothing had to be retried
    const pilots = await db.pilot.findMany({ where: { runId: run.id } });
    expect(pilots.map((p) => [p.label, p.state, p.reason])).toEqual([
      ["stampede", "DONE", "the run finished; pilot released"],
      ["hopper", "DONE", "the run finished; pilot released"],
    ]);
    const events = await readEvents(db, run.id);
    const task = events.filter((e) => e.entity === "task");
    expect(task.filter((e) => e.to === "DONE")).toHaveLength(workload.tasks.length);
    expect(new Set(task.filter((e) => e.to === "DONE").map((e) => e.entityId)).size).toBe(
      workload.tasks.length,
    );
    expect(task.filter((e) => e.reason?.startsWith("retry:"))).toEqual([]);
    expect(task.filter((e) => e.to === "AGENT_EXECUTING")).toHaveLength(workload.tasks.length);
  }, 120_000);

  it("connections dropped while a pilot is submitted and while tasks are handed over: the steps are redone or the tasks retried, no pilot fails", async () => {
    const db = bed.db();
    const { user, resource } = await clusterUser(db, bed.cluster(), "failures-ssh-inflight@x.org", SECRET);
    const res = await Promise.all(
      ["stampede", "hopper"].map((label) => resource(label, "slurm", { defaultQueue: label })),
    );
    const { run, workload } = await startRun(
      db,
      user.id,
      "ssh kills in flight",
      demoSkeletonSmall(),
      res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 3 })),
    );
    const logs: string[] = [];
    const ctx = engineContext(db, { log: (m) => logs.push(m) });
    const real = ctx.site.bind(ctx);
    const fired = new Set<string>();
    // TEST-ONLY: the plug is pulled a few milliseconds *into* the first submission and the first hand-over
    const during = <T>(step: string, call: () => Promise<T>): Promise<T> => {
      if (!fired.has(step)) {
        fired.add(step);
        setTimeout(killSessions, 3);
      }
      return call();
    };
    ctx.site = async (resourceId, kind) => {
      const site = await real(resourceId, kind);
      return {
        ...site,
        launch: (spec) => during("launch", () => site.launch(spec)),
        submitTasks: (sb, seq, tasks) => during("submitTasks", () => site.submitTasks(sb, seq, tasks)),
      };
    };
    const end = Date.now() + 100_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const st = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state;
      if (st !== "NEW" && st !== "ACTIVE") break;
      if (Date.now() > end)
        throw new Error(`the run did not end; engine log: ${logs.slice(-10).join(" | ")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect([...fired].sort()).toEqual(["launch", "submitTasks"]);
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state, `${final.stateReason}; engine log: ${logs.join(" | ")}`).toBe("DONE");
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilots = await db.pilot.findMany({ where: { runId: run.id } });
    expect(
      pilots.map((p) => p.state),
      JSON.stringify(pilots.map((p) => p.reason)),
    ).toEqual(["DONE", "DONE"]);
    const events = await readEvents(db, run.id);
    const tasks = await db.task.findMany({ where: { runId: run.id } });
    for (const t of tasks) {
      const mine = events.filter((e) => e.entity === "task" && e.entityId === t.taskId);
      const retries = mine.filter((e) => e.reason?.startsWith("retry:"));
      expect(
        mine.filter((e) => e.to === "DONE"),
        t.taskId,
      ).toHaveLength(1);
      // a hand-over that may not have arrived is a recorded retry, and only then may a task run twice
      expect(t.attempt, t.taskId).toBe(retries.length);
      expect(mine.filter((e) => e.to === "AGENT_EXECUTING").length, t.taskId).toBeLessThanOrEqual(
        1 + retries.length,
      );
      for (const r of retries) expect(r.reason).toMatch(/^retry: handing it to (stampede|hopper) failed: /);
    }
  }, 120_000);
});

/** 8 short tasks and a barrier task: enough steps to unplug, short enough for a minute. */
function demoSkeletonSmall(): string {
  const stage = (name: string, n: number, inputs: string) => `
Stage_Name = ${name}
    Task_Type = serial
    Num_Tasks = ${n}
    Task_Length = uniform 1.5
    Num_Processes = 1
    Read_Buffer = 65536
    Write_Buffer = 65536
${inputs}
    Output_Files_Each_Task = 1
        Output_1.Size = uniform 5000
    Interleave_Option = 0
`;
  return `Num_Stage = 2
${stage("Stage_1", 8, "    Input_Files_Each_Task = 1\n        Input_1.Source = filesystem\n        Input_1.Size = uniform 10000")}
${stage("Stage_2", 1, "    Input_Files_Each_Task = 8\n        Input_Task_Mapping = combination Stage_1.Output_1 8")}`;
}
