import { mkdtempSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { readEvents } from "../db/events";
import { toInboxTask, type AgentTask } from "../protocol/agent";
import { renderInboxBatch, type TInboxTaskInput } from "../protocol/inbox";
import { batchFile } from "../protocol/sandbox";
import type { PilotSite } from "./ports";
import { startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// Tasks that fail for real on the local agent, as *shell* tasks (the agent's other record kind):
// one exits 7 after writing to stderr, one kills itself with SIGTERM (exit 143) on a healthy
// pilot. TEST-ONLY FAULT SWITCH: a wrapper around the real local site that hands those two
// tasks to the agent as shell commands instead of synthetic tasks. Everything else is real:
// the agent, its event log, the engine, SQLite. A 3-stage skeleton with one-to-one files shows
// the dependency rule: only the failed tasks' descendants fail (transitively), the rest finish.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-failures-task-"));
let db: Db;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(() => db.$disconnect());

const stage = (name: string, n: number, inputs: string) => `
Stage_Name = ${name}
    Task_Type = serial
    Num_Tasks = ${n}
    Task_Length = uniform 0.2
    Num_Processes = 1
    Read_Buffer = 65536
    Write_Buffer = 65536
${inputs}
    Output_Files_Each_Task = 1
        Output_1.Size = uniform 100
    Interleave_Option = 0
`;
const SKELETON = `Num_Stage = 3
${stage("Stage_1", 4, "    Input_Files_Each_Task = 1\n        Input_1.Source = filesystem\n        Input_1.Size = uniform 1000")}
${stage("Stage_2", 4, "    Input_Files_Each_Task = 1\n        Input_Task_Mapping = combination Stage_1.Output_1 1")}
${stage("Stage_3", 1, "    Input_Files_Each_Task = 4\n        Input_Task_Mapping = combination Stage_2.Output_1 4")}`;

/** The faults: task id → the shell command the agent runs instead of the synthetic task. */
const FAULTS: Record<string, string> = {
  Stage_1_1: "echo 'victim stdout line'; echo 'FAULT-INJECTED: disk on fire' >&2; exit 7",
  Stage_2_2: "echo 'about to die' >&2; kill -TERM $$",
};

/**
 * TEST-ONLY FAULT SWITCH: writes the inbox batch itself (as the local site would), each task's
 * record passed through `rewrite` first, so a test can hand the agent a record that fails.
 */
function faulty(site: PilotSite, rewrite: (t: AgentTask) => TInboxTaskInput): PilotSite {
  return {
    ...site,
    async submitTasks(sandbox, seq, tasks) {
      const r = renderInboxBatch(tasks.map(rewrite));
      if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("; "));
      const f = batchFile(seq);
      await writeFile(path.join(sandbox, f.temp), r.text);
      await rename(path.join(sandbox, f.temp), path.join(sandbox, f.final));
    },
  };
}

const shellFaults = (t: AgentTask): TInboxTaskInput => {
  const cmd = FAULTS[t.taskId];
  return cmd
    ? { kind: "shell", taskId: t.taskId, attempt: t.attempt, cores: t.cores, workdir: null, command: cmd }
    : toInboxTask(t);
};

/** Starts a run of SKELETON on one 2-core local pilot and ticks the engine until it ends. */
async function runWithFaults(email: string, rewrite: (t: AgentTask) => TInboxTaskInput) {
  const u = await db.user.create({ data: { email, passwordHash: "h" } });
  const res = await db.resource.create({
    data: { userId: u.id, label: "local", kind: "local", coresPerNode: 2 },
  });
  // maxRetries is 1 (startRun): retries are allowed
  const { run, workload } = await startRun(db, u.id, email, SKELETON, [
    { resourceId: res.id, resource: "local", kind: "local", cores: 2 },
  ]);
  const ctx = engineContext(db, { log: () => undefined });
  const real = ctx.site.bind(ctx);
  ctx.site = async (resourceId, kind) => faulty(await real(resourceId, kind), rewrite);
  const end = Date.now() + 45_000;
  for (;;) {
    await engineTick(ctx, [run.id]);
    const st = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state;
    if (st !== "NEW" && st !== "ACTIVE") break;
    if (Date.now() > end) throw new Error("the run did not end");
    await new Promise((r) => setTimeout(r, 150));
  }
  const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  const tasks = new Map((await db.task.findMany({ where: { runId: run.id } })).map((t) => [t.taskId, t]));
  return { run: final, workload, tasks, events: await readEvents(db, run.id) };
}

describe("tasks that exit non-zero on a healthy pilot", () => {
  it("are FAILED with exit code and stderr kept, never retried; their descendants fail with the reason; the rest finish", async () => {
    const { run: final, workload, tasks, events } = await runWithFaults("failures-task@x.org", shellFaults);
    const deps = new Map(workload.tasks.map((t) => [t.id, t.dependsOn]));
    expect(deps.get("Stage_2_1")).toEqual(["Stage_1_1"]);
    expect(deps.get("Stage_3_0")?.length).toBe(4);
    const row = (id: string) => [tasks.get(id)!.state, tasks.get(id)!.exitCode, tasks.get(id)!.reason];
    expect(row("Stage_1_1")).toEqual(["FAILED", 7, "the task exited with a non-zero code"]);
    // 143 is SIGTERM's code; on a pilot that is alive it is the program's failure, not the pilot's
    expect(row("Stage_2_2")).toEqual(["FAILED", 143, "the task exited with a non-zero code"]);
    // stdout and stderr of the failed attempts, fetched from the sandbox into the run directory
    const logs = (id: string, f: string) =>
      readFileSync(path.join(final.dir!, "tasks", `${id}.0`, f), "utf8");
    expect(logs("Stage_1_1", "stderr")).toBe("FAULT-INJECTED: disk on fire\n");
    expect(logs("Stage_1_1", "stdout")).toBe("victim stdout line\n");
    expect(logs("Stage_2_2", "stderr")).toMatch(/^about to die\n/);

    // descendants: the direct consumer of Stage_1_1, and (transitively) Stage_3_0, which reads all of Stage_2
    expect([tasks.get("Stage_2_1")!.state, tasks.get("Stage_2_1")!.reason]).toEqual([
      "FAILED",
      "its input comes from Stage_1_1, which FAILED",
    ]);
    expect(tasks.get("Stage_3_0")!.state).toBe("FAILED");
    expect(tasks.get("Stage_3_0")!.reason).toMatch(/^its input comes from Stage_2_[12], which FAILED$/);
    // descendants never reached a pilot
    for (const id of ["Stage_2_1", "Stage_3_0"])
      expect(events.filter((e) => e.entityId === id).map((e) => e.to)).toEqual([
        "NEW",
        "TMGR_SCHEDULING_PENDING",
        "FAILED",
      ]);
    // everything else finished
    const ok = ["Stage_1_0", "Stage_1_2", "Stage_1_3", "Stage_2_0", "Stage_2_3"];
    expect(ok.map((id) => tasks.get(id)!.state)).toEqual(ok.map(() => "DONE"));

    // never retried: one execution and attempt 0 for each failed program
    for (const id of Object.keys(FAULTS)) {
      expect(events.filter((e) => e.entityId === id && e.to === "AGENT_EXECUTING")).toHaveLength(1);
      expect(tasks.get(id)!.attempt).toBe(0);
    }
    // the failure event carries the exit code; the run says how many failed, and its pilot ended normally
    const failEv = events.find((e) => e.entityId === "Stage_1_1" && e.to === "FAILED")!;
    expect(failEv.data).toMatchObject({ exitCode: 7 });
    expect([final.state, final.stateReason]).toEqual(["FAILED", "4 of 9 task(s) failed"]);
    const pilot = await db.pilot.findFirstOrThrow({ where: { runId: final.id } });
    expect(pilot.state).toBe("DONE");
  }, 60_000);

  it("a task the agent gives up on (no exit status: too wide for its allocation) is retried, then FAILED with the agent's reason; the run never hangs", async () => {
    // Stage_1_0 is too wide only at attempt 0 (the retry runs); Stage_1_2 at every attempt
    const wide = (t: AgentTask): TInboxTaskInput => ({
      ...toInboxTask(t),
      cores: (t.taskId === "Stage_1_0" && t.attempt === 0) || t.taskId === "Stage_1_2" ? 64 : t.cores,
    });
    const { run, tasks, events } = await runWithFaults("failures-wide@x.org", wide);
    const retried = tasks.get("Stage_1_0")!;
    expect([retried.state, retried.attempt]).toEqual(["DONE", 1]);
    const retryEv = events.find(
      (e) => e.entityId === "Stage_1_0" && e.to === "TMGR_SCHEDULING_PENDING" && e.from !== "NEW",
    )!;
    expect(retryEv.reason).toBe(
      "retry: the agent on pilot local (0) gave up on it (too_wide): it needs 64 cores; this pilot has 2",
    );
    expect(retryEv.data).toMatchObject({ attempt: 1, agentReason: "too_wide" });
    const failed = tasks.get("Stage_1_2")!;
    expect([failed.state, failed.attempt, failed.exitCode]).toEqual(["FAILED", 1, null]);
    expect(failed.reason).toBe(
      "the agent on pilot local (0) gave up on it (too_wide): it needs 64 cores; this pilot has 2 (no retries left)",
    );
    expect([tasks.get("Stage_2_2")!.state, tasks.get("Stage_2_2")!.reason]).toEqual([
      "FAILED",
      "its input comes from Stage_1_2, which FAILED",
    ]);
    expect(tasks.get("Stage_3_0")!.state).toBe("FAILED");
    expect([run.state, run.stateReason]).toEqual(["FAILED", "3 of 9 task(s) failed"]);
    // neither ever executed; the pilot was not blamed
    expect(
      events
        .filter((e) => ["Stage_1_0", "Stage_1_2"].includes(e.entityId) && e.to === "AGENT_EXECUTING")
        .map((e) => e.entityId),
    ).toEqual(["Stage_1_0"]);
    expect((await db.pilot.findFirstOrThrow({ where: { runId: run.id } })).state).toBe("DONE");
  }, 60_000);
});
