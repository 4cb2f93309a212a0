import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runLog } from "../../scripts/bench/run-log";
import { openDb } from "../db/client";
import { eventRow, readEvents } from "../db/events";
import { signUp } from "../db/users";
import { emptyView, foldEvents } from "../stats/fold";
import { decodeSnapshot } from "../stats/snapshot";
import { runWork, WorkPool } from "./index";

// real SQLite written by Prisma, folded by a real worker thread through its own connection
const dbUrl = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-snap-")), "em.db")}`;
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

const write = (runId: string, events: ReturnType<typeof runLog>) =>
  db.event.createMany({
    data: events.map((e) =>
      eventRow({
        runId,
        entity: e.entity,
        entityId: e.entity === "run" ? runId : e.entityId,
        from: e.from,
        to: e.to,
        at: new Date(e.at),
        reason: e.reason,
        data: e.data ?? undefined,
      }),
    ),
  });

describe("the run page's snapshot on the worker pool", () => {
  it("is the run as folding its events gives it, and follows the log as it grows", async () => {
    const u = await signUp(db, { email: "snap@example.org", password: "a long enough password" });
    if (!u.ok) throw new Error(u.error.message);
    const run = await db.run.create({
      data: { userId: u.user.id, name: "run", state: "ACTIVE", strategy: "adaptive", plan: "{}" },
      select: { id: true },
    });
    const log = runLog({ tasks: 2_000, pilots: [8, 4] }, run.id);
    const cut = Math.floor(log.length / 2);
    await write(run.id, log.slice(0, cut));
    const job = { kind: "snapshot" as const, dbUrl, runId: run.id };
    for (const upTo of [cut, log.length]) {
      if (upTo === log.length) await write(run.id, log.slice(cut));
      const s = await runWork(pool, u.user.id, job);
      const events = await readEvents(db, run.id, 0, 1_000_000);
      expect(events).toHaveLength(upTo);
      const back = decodeSnapshot(JSON.parse(s.text));
      if (!back.ok) throw new Error(back.error);
      expect(back.view).toEqual(foldEvents(emptyView(), events));
      expect(back.lastSeq).toBe(events.at(-1)!.seq);
      expect(s.lastSeq).toBe(events.at(-1)!.seq);
      expect(back.tail).toEqual(events.slice(-5_000));
    }
  }, 120_000);
});
