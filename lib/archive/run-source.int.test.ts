import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { runLog } from "../../scripts/bench/run-log";
import { openDb } from "../db/client";
import { scanEventRows } from "../db/event-scan";
import { eventRow, readEvents } from "../db/events";
import { loadRunRecord } from "../db/run-record";
import { signUp } from "../db/users";
import { eventsJsonl } from "../stats/exports";
import { emptyView, foldEvents } from "../stats/fold";
import { buildArchive, statisticsFiles, summaryFiles } from "./run-files";
import { cachedFold, snapshot } from "./run-snapshot";
import { loadFoldedRun } from "./run-source";

// real SQLite written by Prisma, read back both ways: Prisma (readEvents) and the one-pass reader
const dbUrl = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-src-")), "em.db")}`;
const db = openDb(dbUrl);
afterAll(() => db.$disconnect());

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
      cores: 8,
      nodes: 1,
      walltimeMinutes: 60,
      project: null,
    },
  ],
};

async function recordRun(userId: string): Promise<string> {
  const run = await db.run.create({
    data: { userId, name: "run", state: "FAILED", strategy: "adaptive", plan: JSON.stringify(PLAN) },
    select: { id: true },
  });
  // the engine's states and data, with a FAILED task, a reason, odd characters and a time with milliseconds
  const log = runLog({ tasks: 3_000, pilots: [8, 4, 2] }, run.id);
  log[log.length - 1]!.reason = 'some tasks "FAILED"\nsee tasks.csv';
  await db.event.createMany({
    data: log.map((e) =>
      eventRow({
        runId: run.id,
        entity: e.entity,
        entityId: e.entity === "run" ? run.id : e.entityId,
        from: e.from,
        to: e.to,
        at: new Date(e.at + 123),
        reason: e.reason,
        data: e.data ?? undefined,
      }),
    ),
  });
  return run.id;
}

describe("a run read for its downloads in one pass (lib/archive/run-source.ts)", () => {
  it("gives the same events, fold, statistics, events.jsonl and archive as reading it through Prisma", async () => {
    const u = await signUp(db, { email: "src@example.org", password: "a long enough password" });
    if (!u.ok) throw new Error(u.error.message);
    const runId = await recordRun(u.user.id);
    const events = await readEvents(db, runId, 0, 1_000_000);
    expect(events.length).toBeGreaterThan(20_000);

    // the reader: the same rows, times and data texts
    const scanned = [];
    for await (const rows of scanEventRows(db, dbUrl, runId, 0)) scanned.push(...rows);
    expect(scanned.map((r) => [r[0], r[5], r[7] === null ? null : JSON.parse(r[7])])).toEqual(
      events.map((e) => [e.seq, e.at, e.data]),
    );
    const after = [];
    for await (const rows of scanEventRows(db, dbUrl, runId, events[100]!.seq)) after.push(...rows);
    expect(after[0]![0]).toBe(events[101]!.seq);

    const inline = statisticsFiles((await loadRunRecord(db, u.user.id, runId))!);
    const slices = (await loadFoldedRun(db, dbUrl, u.user.id, runId, { jsonl: "slices" }))!;
    expect(slices.view).toEqual(foldEvents(emptyView(), events));
    expect(slices.count).toBe(events.length);
    expect(Buffer.concat(slices.jsonl as Buffer[]).toString("utf8")).toBe(eventsJsonl(events));
    expect(summaryFiles(slices.rec, slices.view, slices.checked)).toEqual({
      "run.json": inline["run.json"],
      "pilots.csv": inline["pilots.csv"],
      "tasks.csv": inline["tasks.csv"],
      "timeseries.csv": inline["timeseries.csv"],
      "report.txt": inline["report.txt"],
    });

    const folded = (await loadFoldedRun(db, dbUrl, u.user.id, runId, { jsonl: "deflated" }))!;
    const zip = unzipSync((await buildArchive(folded.rec, folded)).zip);
    const root = `run-3000-${runId}`;
    expect(Buffer.from(zip[`${root}/events.jsonl`]!).toString("utf8")).toBe(inline["events.jsonl"]);
    expect(Buffer.from(zip[`${root}/run.json`]!).toString("utf8")).toBe(inline["run.json"]);
    expect(Buffer.from(zip[`${root}/timeline.svg`]!).toString("utf8")).toMatch(/^<svg/);

    expect(await loadFoldedRun(db, dbUrl, "someone else", runId)).toBeNull();

    // once the page's snapshot folded the run here, the downloads use that fold, and the same files come out
    await snapshot(db, dbUrl, runId);
    const reused = (await loadFoldedRun(db, dbUrl, u.user.id, runId))!;
    expect((await cachedFold(db, runId))?.view).toBe(reused.view);
    expect(summaryFiles(reused.rec, reused.view, reused.checked)["run.json"]).toBe(inline["run.json"]);
    const withLog = (await loadFoldedRun(db, dbUrl, u.user.id, runId, { jsonl: "slices" }))!;
    expect(withLog.view).toBe(reused.view);
    expect(Buffer.concat(withLog.jsonl as Buffer[]).toString("utf8")).toBe(inline["events.jsonl"]);
    // an event written after the page's fold: not in that fold, so the downloads fold the log themselves
    await db.event.create({
      data: eventRow({
        runId,
        entity: "run",
        entityId: runId,
        from: "FAILED",
        to: "FAILED",
        at: new Date(),
        reason: "late",
      }),
    });
    const late = (await loadFoldedRun(db, dbUrl, u.user.id, runId))!;
    expect(late.view).not.toBe(reused.view);
    expect(late.view.runReason).toBe("late");
    expect(late.count).toBe(events.length + 1);
  }, 120_000);

  it("reads every form of time SQLite may hold as ms: ISO with +00:00 or Z, whole seconds, integer ms; an unreadable one as NaN", async () => {
    const u = await signUp(db, { email: "times@example.org", password: "a long enough password" });
    if (!u.ok) throw new Error(u.error.message);
    const run = await db.run.create({
      data: { userId: u.user.id, name: "t", state: "DONE", strategy: "adaptive", plan: JSON.stringify(PLAN) },
      select: { id: true },
    });
    const texts = [
      "2026-12-06T03:23:17.123+00:00",
      "2026-12-06T03:23:17.999Z",
      "2026-12-06T03:23:18+00:00",
      1_765_000_000_456,
      "not a time",
    ];
    const file = dbUrl.slice("file:".length);
    const sql = new Database(file);
    try {
      const ins = sql.prepare(
        "INSERT INTO Event (runId, at, entity, entityId, \"from\", \"to\") VALUES (?, ?, 'task', 'a', NULL, 'NEW')",
      );
      for (const t of texts) ins.run(run.id, t);
    } finally {
      sql.close();
    }
    const at: number[] = [];
    for await (const rows of scanEventRows(db, dbUrl, run.id)) for (const r of rows) at.push(r[5]);
    expect(at).toEqual([
      Date.parse("2026-12-06T03:23:17.123Z"),
      Date.parse("2026-12-06T03:23:17.999Z"),
      Date.parse("2026-12-06T03:23:18.000Z"),
      1_765_000_000_456,
      NaN,
    ]);
  });
});
