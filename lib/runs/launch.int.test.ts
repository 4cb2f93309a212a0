import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { ensureLocalResource } from "../db/resources";
import { setTaskLimitByEmail } from "../db/task-limits";
import type { ResourceSnapshot } from "../model/resource";
import type { ExecutionStrategy } from "../planner";
import { skeletonText } from "../skeleton/test-helpers";
import { launchRun } from "./launch";

// launchRun, the one launch of the web page, the CLI, the demo and the tests, on real SQLite. The
// checks that once lived only in the web action (some pilot fits the widest task; the task limit;
// each pilot's queue) now hold for a launch from a text (the CLI's and the tests' way) as well.
process.env.EMANAGER_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "em-launch-data-"));
const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-launch-")), "em.db")}`);
afterAll(() => db.$disconnect());

const WIDE = skeletonText([{ name: "Stage_1", tasks: 3, length: "uniform 1", processes: 4 }]);
const SERIAL = skeletonText([{ name: "Stage_1", tasks: 3, length: "uniform 1" }]);

async function user(email: string) {
  const u = await db.user.create({ data: { email, passwordHash: "h" } });
  await ensureLocalResource(db, u.id);
  const local = await db.resource.findFirstOrThrow({ where: { userId: u.id, kind: "local" } });
  return { u, local };
}

function handPlan(resourceId: string, cores: number, queue: string | null = null): ExecutionStrategy {
  return {
    strategy: "adaptive",
    binding: "late",
    scheduler: "backfilling",
    predictedTtcSeconds: 0,
    assumptions: [],
    trail: [],
    rejected: [],
    warnings: [],
    pilots: [{ resourceId, resource: "r", queue, cores, nodes: 1, walltimeMinutes: 10, project: null }],
  };
}

const base = { seed: 0, maxRetries: 1, now: new Date("2026-12-01T10:00:00Z") };

describe("launchRun", () => {
  it("plans on the chosen resources and stores the run, as the CLI asks", async () => {
    const { u, local } = await user("plan@x.org");
    const r = await launchRun(db, {
      ...base,
      userId: u.id,
      name: "cli",
      skeleton: { text: SERIAL, fileName: "serial.input" },
      plan: { strategy: "adaptive", resourceIds: [local.id] },
    });
    if (!r.ok) throw new Error(r.message);
    const run = await db.run.findUniqueOrThrow({ where: { id: r.runId }, include: { pilots: true } });
    expect([run.name, run.state, run.strategy, run.skeletonId]).toEqual(["cli", "NEW", "adaptive", null]);
    expect(run.pilots.map((p) => p.kind)).toEqual(r.plan.pilots.map(() => "local"));
    expect(await db.task.count({ where: { runId: r.runId } })).toBe(3);
  });

  it("refuses a plan whose pilots are all narrower than the widest task, from a text as from a stored skeleton", async () => {
    const { u, local } = await user("narrow@x.org");
    const fromText = await launchRun(db, {
      ...base,
      userId: u.id,
      name: "narrow",
      skeleton: { text: WIDE, fileName: "wide.input" },
      plan: handPlan(local.id, 2),
      snapshots: [],
    });
    expect(fromText).toEqual({
      ok: false,
      code: "PLAN",
      message: "a task needs 4 cores but no pilot has that many",
    });
    const sk = await db.skeleton.create({
      data: { userId: u.id, name: "wide.input", text: WIDE, format: "aimes", summary: "{}" },
    });
    const stored = await launchRun(db, {
      ...base,
      userId: u.id,
      name: "narrow",
      skeleton: { id: sk.id },
      plan: handPlan(local.id, 2),
    });
    expect(stored).toMatchObject({ ok: false, code: "PLAN" });
    expect(await db.run.count({ where: { userId: u.id } })).toBe(0);
  });

  it("refuses another user's skeleton or resource, a skeleton above the account's limit, and a pilot its queue does not allow", async () => {
    const { u, local } = await user("rules@x.org");
    const other = await user("other@x.org");
    const sk = await db.skeleton.create({
      data: { userId: other.u.id, name: "w", text: WIDE, format: "aimes", summary: "{}" },
    });
    expect(
      await launchRun(db, {
        ...base,
        userId: u.id,
        name: "x",
        skeleton: { id: sk.id },
        plan: handPlan(local.id, 4),
      }),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(
      await launchRun(db, {
        ...base,
        userId: u.id,
        name: "x",
        skeleton: { text: WIDE, fileName: "w" },
        plan: handPlan(other.local.id, 4),
      }),
    ).toMatchObject({ ok: false, code: "RESOURCE" });

    await setTaskLimitByEmail(db, "rules@x.org", 2);
    const limited = await launchRun(db, {
      ...base,
      userId: u.id,
      name: "x",
      skeleton: { text: WIDE, fileName: "w" },
      plan: handPlan(local.id, 4),
    });
    expect(limited).toMatchObject({
      ok: false,
      code: "TASK_LIMIT",
      message: expect.stringMatching(
        /^the skeleton expands to 3 tasks, more than this account's limit of 2 tasks/,
      ),
    });
    await setTaskLimitByEmail(db, "rules@x.org", null);

    const cluster = await db.resource.create({
      data: { userId: u.id, label: "stampede", kind: "slurm", host: "login.example.org", username: "a" },
    });
    const snap: ResourceSnapshot = {
      resourceId: cluster.id,
      label: "stampede",
      batch: "slurm",
      host: "login.example.org",
      takenAt: base.now.toISOString(),
      source: "probe",
      nodes: 1,
      coresPerNode: 4,
      queues: [
        {
          name: "normal",
          isDefault: true,
          enabled: true,
          maxWalltimeSeconds: 300,
          maxCoresPerJob: 4,
          maxQueuedJobs: null,
          nodesTotal: 1,
          nodesFree: 1,
          coresTotal: 4,
          coresFree: 4,
          jobsQueued: 0,
          jobsRunning: 0,
        },
      ],
      waitHistory: [],
      bandwidthInMBps: null,
      bandwidthOutMBps: null,
    };
    const q = await launchRun(db, {
      ...base,
      userId: u.id,
      name: "x",
      skeleton: { text: WIDE, fileName: "w" },
      plan: handPlan(cluster.id, 4, "normal"),
      snapshots: [snap],
    });
    expect(q).toEqual({
      ok: false,
      code: "QUEUE",
      message: "pilot 1 (r): 10.0 min is longer than normal allows (5 min)",
    });
    expect(await db.run.count({ where: { userId: u.id } })).toBe(0);
  });

  it("reads a stored probe through its schema: one that does not read is reported, not cast", async () => {
    const { u } = await user("snap@x.org");
    const cluster = await db.resource.create({
      data: { userId: u.id, label: "comet", kind: "slurm", host: "login.example.org", username: "a" },
    });
    await db.resourceSnapshot.create({
      data: {
        resourceId: cluster.id,
        ok: true,
        data: JSON.stringify({ label: "comet", queues: "none" }),
        durationMs: 1,
      },
    });
    const r = await launchRun(db, {
      ...base,
      userId: u.id,
      name: "x",
      skeleton: { text: SERIAL, fileName: "s" },
      plan: { strategy: "adaptive", resourceIds: [cluster.id] },
    });
    expect(r).toMatchObject({
      ok: false,
      code: "RESOURCE",
      message: expect.stringMatching(
        /^comet: its last probe does not read \(\S+: .+\); use "Test connection" on the Resources page again$/,
      ),
    });
  });

  it("reports every error of a text that does not load, for the CLI to print", async () => {
    const { u, local } = await user("bad@x.org");
    const r = await launchRun(db, {
      ...base,
      userId: u.id,
      name: "x",
      skeleton: { text: "Num_Stage = 1\n", fileName: "bad.input" },
      plan: { strategy: "adaptive", resourceIds: [local.id] },
    });
    expect(r).toMatchObject({ ok: false, code: "INVALID_SKELETON" });
    if (!r.ok) expect(r.skeletonErrors?.length).toBeGreaterThan(0);
  });
});
