import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, describe, expect, it } from "vitest";
import { syntheticLog } from "../../scripts/bench/stats";
import { statisticsFiles } from "../archive/run-files";
import { openDb } from "../db/client";
import { eventRow } from "../db/events";
import { loadRunRecord } from "../db/run-record";
import { signUp } from "../db/users";
import { runWork, WorkPool, type DownloadResult } from "./index";

// real SQLite, read by the worker thread through its own connection; a real worker pool
const dbUrl = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-dl-")), "em.db")}`;
const db = openDb(dbUrl);
const pool = new WorkPool({
  entry: path.join(process.cwd(), "lib/work/worker.ts"),
  tsx: true,
  size: 1,
  maxPerUser: 2,
  maxQueued: 8,
  deadlineMs: 120_000,
});
afterAll(async () => {
  await pool.close();
  await db.$disconnect();
});

// a stored plan is read back through its schema (lib/db/run-record.ts): a whole one, with one pilot
const PLAN = {
  strategy: "adaptive",
  binding: "late",
  scheduler: "backfilling",
  predictedTtcSeconds: 0,
  assumptions: [],
  trail: [],
  rejected: [],
  warnings: [],
  pilots: [
    {
      resourceId: "r",
      resource: "local",
      queue: null,
      cores: 1,
      nodes: 1,
      walltimeMinutes: 1,
      project: null,
    },
  ],
};

async function recordRun(userId: string, tasks: number): Promise<string> {
  const run = await db.run.create({
    data: { userId, name: "big run", state: "DONE", strategy: "adaptive", plan: JSON.stringify(PLAN) },
    select: { id: true },
  });
  const log = syntheticLog(tasks);
  for (let i = 0; i < log.length; i += 5000) {
    await db.event.createMany({
      data: log.slice(i, i + 5000).map((e) =>
        eventRow({
          runId: run.id,
          entity: e.entity,
          entityId: e.entityId,
          from: e.from,
          to: e.to,
          at: new Date(e.at),
          reason: e.reason,
          data: e.data ?? undefined,
        }),
      ),
    });
  }
  return run.id;
}

const job = (userId: string, runId: string, file: string) => ({
  kind: "download" as const,
  dbUrl,
  userId,
  runId,
  file,
  timeline: { theme: "light" as const, width: 1200, scale: 1 },
});

describe("run downloads on the worker pool", () => {
  it("reads and folds a 10,000-task run's log off the request thread, with the same bytes as inline; another user's run is not found", async () => {
    const a = await signUp(db, { email: "a@example.org", password: "a long enough password" });
    const b = await signUp(db, { email: "b@example.org", password: "a long enough password" });
    if (!a.ok || !b.ok) throw new Error("sign-up failed");
    const runId = await recordRun(a.user.id, 10_000);
    await pool.warm();
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const csv = (await runWork(pool, a.user.id, job(a.user.id, runId, "tasks.csv"))) as DownloadResult;
    h.disable();
    const inline = statisticsFiles((await loadRunRecord(db, a.user.id, runId))!);
    expect(csv.ok && csv.body).toBe(inline["tasks.csv"]);
    expect(h.max / 1e6).toBeLessThan(300);
    const report = await runWork(pool, a.user.id, job(a.user.id, runId, "report.txt"));
    expect(report.ok && report.body).toBe(inline["report.txt"]);
    const png = await runWork(pool, a.user.id, job(a.user.id, runId, "timeline.png"));
    expect(png.ok && png.body instanceof Uint8Array && [...png.body.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    expect(await runWork(pool, b.user.id, job(b.user.id, runId, "tasks.csv"))).toEqual({
      ok: false,
      code: "NOT_FOUND",
      message: "No such run in your account.",
    });
  }, 120_000);
});
