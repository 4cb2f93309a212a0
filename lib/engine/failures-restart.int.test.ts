import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { testDbUrl } from "../test-support/pg";
import { readEvents } from "../db/events";
import { ensureCluster, type ClusterInfo } from "../../scripts/cluster/cluster-info";
import { clusterUser, startRun } from "../test-support/engine-run";

// The engine SIGKILLed mid-run while its pilots run on the loopback SLURM, and restarted.
// The engine runs as its own process: `emanager engine` (cli/commands/engine.ts) is the small
// entry point that starts the very loop the web server starts (lib/engine/home.ts), on a file
// SQLite database. After the kill the SLURM jobs and their agents go on alone; a new engine
// process waits out the dead one's lease, reconnects over SSH, re-adopts both pilots, reads
// the agent events it missed from their logs, and completes the run. The Event table must show
// no task lost and none executed twice except after a recorded retry.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-failures-restart-"));
// SQLite in DATA, or a fresh PostgreSQL database when EMANAGER_TEST_DB=pg
const DB_URL = testDbUrl(`file:${path.join(DATA, "emanager.db")}`);
const SECRET = "k".repeat(43);
let db: Db;
let cl: ClusterInfo;
const engines: ChildProcess[] = [];
beforeAll(() => {
  cl = ensureCluster();
  db = openDb(DB_URL);
});
afterAll(async () => {
  for (const e of engines) {
    try {
      process.kill(-e.pid!, "SIGTERM");
    } catch {
      // gone already (the first one was SIGKILLed)
    }
  }
  await db.$disconnect();
});

function engine(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMANAGER_DATA_DIR: DATA,
    NEXTAUTH_SECRET: SECRET,
    EMANAGER_ENGINE_INTERVAL_MS: "300",
    EMANAGER_POLL_INTERVAL_S: "1",
  };
  env.DATABASE_URL = DB_URL;
  const child = spawn("node", ["bin/emanager.mjs", "engine"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const echo = (d: Buffer) => process.stderr.write(`[engine ${child.pid}] ${d.toString()}`);
  child.stdout?.on("data", echo);
  child.stderr?.on("data", echo);
  engines.push(child);
  return child;
}

async function until(what: string, ms: number, pred: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end)
      throw new Error(
        `timed out waiting for ${what}: tasks ${JSON.stringify(await db.task.groupBy({ by: ["state"], _count: true }))}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

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
        Output_1.Size = uniform 2000
    Interleave_Option = 0
`;
const SKELETON = `Num_Stage = 2
${stage("Stage_1", 10, "2", "    Input_Files_Each_Task = 1\n        Input_1.Source = filesystem\n        Input_1.Size = uniform 1000")}
${stage("Stage_2", 1, "0.5", "    Input_Files_Each_Task = 10\n        Input_Task_Mapping = combination Stage_1.Output_1 10")}`;

describe("the engine process killed with SIGKILL mid-run on SLURM", () => {
  it("is replaced by a new process that re-adopts the run and its pilots, reads the events it missed, and completes it; no task lost or run twice", async () => {
    process.env.NEXTAUTH_SECRET = SECRET; // clusterUser seals the key with it, as the server would
    const { user, resource } = await clusterUser(db, cl, "failures-restart@x.org", SECRET);
    const res = await Promise.all(
      ["stampede", "trestles"].map((label) => resource(label, "slurm", { defaultQueue: label })),
    );
    const { run, workload } = await startRun(
      db,
      user.id,
      "restart on slurm",
      SKELETON,
      res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 2 })),
    );
    const count = (state: string) => db.task.count({ where: { runId: run.id, state } });

    const first = engine();
    await until(
      "tasks to run under the first engine",
      50_000,
      async () => (await count("AGENT_EXECUTING")) >= 2,
    );
    process.kill(-first.pid!, "SIGKILL");
    const killedAt = Date.now();
    const atKill = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const lastSeqAtKill = (await readEvents(db, run.id)).at(-1)!.seq;
    expect(atKill.leaseOwner).toContain(`:${first.pid}:`);
    expect(await count("DONE")).toBeLessThan(11);

    const second = engine();
    await until(
      "the run to end under the second engine",
      60_000,
      async () =>
        !["NEW", "ACTIVE"].includes((await db.run.findUniqueOrThrow({ where: { id: run.id } })).state),
    );
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    // adopted by the second process, and only once the first one's lease had run out
    expect(final.leaseOwner).toContain(`:${second.pid}:`);
    const events = await readEvents(db, run.id);
    const afterKill = events.filter((e) => e.seq > lastSeqAtKill);
    expect(Math.min(...afterKill.map((e) => e.seq))).toBeGreaterThan(lastSeqAtKill);
    // missed events: tasks that finished on the cluster while no engine ran, learnt from the agents' logs
    // (their events carry the agent's time, before the new engine could take the lease)
    const missed = afterKill.filter(
      (e) =>
        e.entity === "task" &&
        e.to === "AGENT_STAGING_OUTPUT" &&
        e.at >= killedAt &&
        e.at < atKill.leaseUntil!.getTime(),
    );
    expect(missed.length).toBeGreaterThan(0);

    // no task lost: every one DONE exactly once, its outputs in the run directory
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const tasks = await db.task.findMany({ where: { runId: run.id } });
    expect(tasks.map((t) => t.state)).toEqual(tasks.map(() => "DONE"));
    const per = (id: string, to: string) =>
      events.filter((e) => e.entity === "task" && e.entityId === id && e.to === to);
    for (const t of workload.tasks) {
      expect(per(t.id, "DONE"), t.id).toHaveLength(1);
      // executed more than once only after a recorded retry (attempt + 1 with a reason)
      const retries = per(t.id, "TMGR_SCHEDULING_PENDING").filter((e) => e.reason?.startsWith("retry:"));
      expect(per(t.id, "AGENT_EXECUTING").length, t.id).toBeLessThanOrEqual(1 + retries.length);
      expect(tasks.find((x) => x.taskId === t.id)!.attempt).toBe(retries.length);
    }
    // the pilots survived the engine: neither was failed for its absence
    const pilots = await db.pilot.findMany({ where: { runId: run.id } });
    expect(pilots.map((p) => p.state)).toEqual(["DONE", "DONE"]);
  }, 120_000);
});
