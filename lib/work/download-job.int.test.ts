import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { unzipSync } from "fflate";
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

const job = (userId: string, runId: string, file: string, storeDir: string | null = null) => ({
  kind: "download" as const,
  dbUrl,
  userId,
  runId,
  file,
  timeline: { theme: "light" as const, width: 1200, scale: 1 },
  storeDir,
});
const text = (r: DownloadResult) => (r.ok ? Buffer.from(r.body).toString("utf8") : `not ok: ${r.message}`);

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

  it("stores a finished run's downloads once and serves them from the store; a later event or a live run is never served stale", async () => {
    const a = await signUp(db, { email: "store@example.org", password: "a long enough password" });
    const b = await signUp(db, { email: "store-b@example.org", password: "a long enough password" });
    if (!a.ok || !b.ok) throw new Error("sign-up failed");
    const store = mkdtempSync(path.join(os.tmpdir(), "em-dl-store-"));
    const runId = await recordRun(a.user.id, 2_000);
    const inline = statisticsFiles((await loadRunRecord(db, a.user.id, runId))!);
    const get = async (file: string, user = a.user.id) =>
      (await runWork(pool, user, job(user, runId, file, store))) as DownloadResult;

    // the first statistics file makes every statistics file (one fold), but not the log
    expect(text(await get("tasks.csv"))).toBe(inline["tasks.csv"]);
    const [keyDir] = readdirSync(path.join(store, runId));
    const dir = path.join(store, runId, keyDir!);
    expect(readdirSync(dir).sort()).toEqual(
      [
        "archive-timeline.svg",
        "archive.json",
        "pilots.csv",
        "report.txt",
        "run.json",
        "tasks.csv",
        "timeseries.csv",
      ].sort(),
    );
    // served from the store from now on: a change made to the stored file shows
    writeFileSync(path.join(dir, "report.txt"), "from the store\n");
    expect(text(await get("report.txt"))).toBe("from the store\n");
    // a stored file that does not read is made again from the log, not served or failed on
    writeFileSync(path.join(dir, "archive.json"), "{trunc");
    expect(text(await get("tasks.csv"))).toBe(inline["tasks.csv"]);
    expect(JSON.parse(readFileSync(path.join(dir, "archive.json"), "utf8"))).toEqual({ tasks: 2_000 });
    expect(await get("report.txt", b.user.id)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    // the archive reads the log once more (no fold) and stores it compressed; events.jsonl is then read from there
    const zip = await get("archive");
    if (!zip.ok) throw new Error(zip.message);
    const files = unzipSync(Buffer.from(zip.body));
    const root = Object.keys(files)[0]!.split("/")[0]!;
    expect(root).toBe(`run-2000-${runId}`);
    expect(Buffer.from(files[`${root}/events.jsonl`]!).toString("utf8")).toBe(inline["events.jsonl"]);
    expect(Buffer.from(files[`${root}/run.json`]!).toString("utf8")).toBe(inline["run.json"]);
    expect(readdirSync(dir)).toContain("events.jsonl.deflate");
    expect(text(await get("events.jsonl"))).toBe(inline["events.jsonl"]);

    // an event written after: a new key, made from the log again; the older key's files are gone
    await db.event.create({
      data: eventRow({
        runId,
        entity: "run",
        entityId: runId,
        from: "DONE",
        to: "DONE",
        at: new Date(),
        reason: "late",
      }),
    });
    const fresh = statisticsFiles((await loadRunRecord(db, a.user.id, runId))!);
    expect(text(await get("report.txt"))).toBe(fresh["report.txt"]);
    expect(readdirSync(path.join(store, runId))).not.toContain(keyDir);

    // a live run is made from its log every time and nothing is stored
    await db.run.update({ where: { id: runId }, data: { state: "ACTIVE" } });
    rmSync(path.join(store, runId), { recursive: true });
    expect(text(await get("report.txt"))).not.toBe("");
    expect(await get("prepare")).toMatchObject({ ok: true, body: "" });
    expect(existsSync(path.join(store, runId))).toBe(false);

    // prepare: everything made ahead of the first request, once the run has ended
    await db.run.update({ where: { id: runId }, data: { state: "DONE" } });
    expect(await get("prepare")).toMatchObject({ ok: true });
    const [prepared] = readdirSync(path.join(store, runId));
    expect(readdirSync(path.join(store, runId, prepared!))).toContain("events.jsonl.deflate");
    expect(readdirSync(path.join(store, runId, prepared!))).toContain("run.json");
    // and the run page's opening snapshot, read back from there by the snapshot job
    const snapFile = path.join(store, runId, prepared!, "snapshot.json");
    const snapJob = { kind: "snapshot" as const, dbUrl, runId, userId: a.user.id, storeDir: store };
    const snap = await runWork(pool, a.user.id, snapJob);
    expect(snap.text).toBe(readFileSync(snapFile, "utf8"));
    expect(JSON.parse(snap.text)).toMatchObject({ runId });
    writeFileSync(snapFile, '{"from":"the store"}');
    expect((await runWork(pool, a.user.id, snapJob)).text).toBe('{"from":"the store"}');
  }, 120_000);
});
