import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { startTestSmtp, type TestSmtp } from "../test-support/smtp";
import { driveRun } from "./driver";
import { runEndsSettled, whenRunEnds, type EndedRun } from "./run-end";
import { demoSkeleton, startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// A run that became final under an engine that died before it could claim the run's end for
// its notification (the server went down right after the last tick, or a CLI `emanager run`
// exited): the next engine, whenever it starts, sends that notification once. Real SQLite,
// real agent (local pilot), real SMTP listener on loopback.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-notify-sweep-"));
let db: Db;
let smtp: TestSmtp;
// the run-end hook (the server stores the run's downloads there): called once per settled run
const ended: EndedRun[] = [];
whenRunEnds((r) => ended.push(r));
beforeAll(async () => {
  process.env.EMANAGER_DATA_DIR = DATA;
  smtp = await startTestSmtp();
  process.env.EMANAGER_SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
  db = openDb(`file:${path.join(DATA, "emanager.db")}`);
});
afterAll(async () => {
  await runEndsSettled(5_000);
  await db.$disconnect();
  await smtp.close();
});

async function finishedUnderDeadEngine(email: string, notify: { email: string | null }) {
  const u = await db.user.create({
    data: { email, passwordHash: "h", notifyOnRunEnd: true, notifyEmail: notify.email },
  });
  const res = await db.resource.create({
    data: { userId: u.id, label: "local", kind: "local", coresPerNode: 4 },
  });
  const { run } = await startRun(db, u.id, `${email} run`, demoSkeleton("uniform 0.1", "uniform 0.1"), [
    { resourceId: res.id, resource: "local", kind: "local", cores: 4 },
  ]);
  // the dead engine's ticks: it drove the run (holding the lease) but never settled its end
  await db.run.update({
    where: { id: run.id },
    data: { leaseOwner: "dead-host:1:abcdef", leaseUntil: new Date(Date.now() + 60_000) },
  });
  const ctx = engineContext(db, { log: () => undefined });
  const end = Date.now() + 60_000;
  while ((await db.run.findUniqueOrThrow({ where: { id: run.id } })).state !== "DONE") {
    if (Date.now() > end) throw new Error("the run did not finish");
    await driveRun(ctx, run.id);
    await new Promise((r) => setTimeout(r, 100));
  }
  // it died: its lease runs out
  await db.run.update({ where: { id: run.id }, data: { leaseUntil: new Date(Date.now() - 1_000) } });
  return run;
}

describe("a run that became final while no engine could notify", () => {
  it("is notified once by the next engine", async () => {
    const run = await finishedUnderDeadEngine("sweep@x.org", { email: "scientist@lab.example" });
    expect(await db.notification.count({ where: { runId: run.id } })).toBe(0);
    const ctx = engineContext(db, { log: () => undefined });
    const end = Date.now() + 30_000;
    while ((await db.run.findUniqueOrThrow({ where: { id: run.id } })).leaseUntil !== null) {
      if (Date.now() > end) throw new Error("the run's end was not settled");
      await engineTick(ctx, [run.id]);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (let i = 0; i < 5; i++) await engineTick(ctx, [run.id]);
    await runEndsSettled();
    expect(smtp.mails.filter((m) => m.body.includes("sweep@x.org run"))).toHaveLength(1);
    expect(
      (await db.notification.findMany({ where: { runId: run.id } })).map((n) => [n.channel, n.ok]),
    ).toEqual([["email", true]]);
    expect(ended.filter((r) => r.id === run.id)).toEqual([{ id: run.id, userId: run.userId }]);
  }, 90_000);

  it("an owner who asked for notifications but gave no address: settled at once, nothing sent", async () => {
    const run = await finishedUnderDeadEngine("no-address@x.org", { email: null });
    const ctx = engineContext(db, { log: () => undefined });
    const end = Date.now() + 10_000;
    while ((await db.run.findUniqueOrThrow({ where: { id: run.id } })).leaseUntil !== null) {
      if (Date.now() > end) throw new Error("the run's end was not settled");
      await engineTick(ctx, [run.id]);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await db.notification.count({ where: { runId: run.id } })).toBe(0);
    expect(smtp.mails.filter((m) => m.body.includes("no-address@x.org"))).toHaveLength(0);
  }, 60_000);
});
