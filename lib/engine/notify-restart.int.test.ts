import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { startTestSmtp, type TestSmtp } from "../test-support/smtp";
import { runEndsSettled, SETTLE_CLAIM_MS, settleRunEnds } from "./run-end";
import { demoSkeleton, startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";

// The run-end notification survives the engine, for real: the engine runs as its own process
// (`emanager engine`, the loop the server starts) against a real SMTP listener on loopback
// that stalls after the message's data, so the engine is SIGKILLed with its mail in flight,
// after the run ended. A new engine process claims the unsettled run once the dead one's claim
// has expired and sends the mail: exactly one accepted, one Notification row, never repeated.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-notify-restart-"));
let db: Db;
let smtp: TestSmtp;
const engines: ChildProcess[] = [];
beforeAll(async () => {
  process.env.EMANAGER_DATA_DIR = DATA;
  smtp = await startTestSmtp();
  db = openDb(`file:${path.join(DATA, "emanager.db")}`);
});
afterAll(async () => {
  // SIGKILL: an engine left behind would tick on this database for ever
  for (const e of engines) {
    try {
      process.kill(-e.pid!, "SIGKILL");
    } catch {
      // gone already
    }
  }
  await runEndsSettled(5_000);
  await db.$disconnect();
  await smtp.close();
});

function engine(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMANAGER_DATA_DIR: DATA,
    EMANAGER_ENGINE_INTERVAL_MS: "300",
    EMANAGER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  };
  delete env.DATABASE_URL;
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

async function until(what: string, ms: number, pred: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function notifiedUser(email: string, on: boolean) {
  const u = await db.user.create({
    data: { email, passwordHash: "h", notifyOnRunEnd: on, notifyEmail: on ? "scientist@lab.example" : null },
  });
  const res = await db.resource.create({
    data: { userId: u.id, label: "local", kind: "local", coresPerNode: 4 },
  });
  return startRun(db, u.id, `${email} run`, demoSkeleton("uniform 0.2", "uniform 0.2"), [
    { resourceId: res.id, resource: "local", kind: "local", cores: 4 },
  ]);
}

describe("the run-end notification across an engine killed while sending it", () => {
  it("is sent once by the next engine process, after the dead one's claim expired", async () => {
    const { run } = await notifiedUser("restart-notify@x.org", true);
    smtp.hold = true;
    const first = engine();
    await until("the first engine's mail to reach the stalled SMTP server", 45_000, () => smtp.held >= 1);
    process.kill(-first.pid!, "SIGKILL");
    const killedAt = Date.now();
    const atKill = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    // the run ended under the first engine; its notification was claimed, never settled
    expect([atKill.state, atKill.stateReason]).toEqual(["DONE", "all 21 task(s) done"]);
    expect(atKill.leaseOwner).toContain(`:${first.pid}:`);
    expect(atKill.leaseUntil!.getTime()).toBeGreaterThan(killedAt);
    expect(await db.notification.count({ where: { runId: run.id } })).toBe(0);
    expect(smtp.mails).toHaveLength(0);

    smtp.hold = false;
    const second = engine();
    await until(
      "the second engine to send the notification",
      SETTLE_CLAIM_MS + 20_000,
      async () => (await db.notification.count({ where: { runId: run.id } })) > 0,
    );
    const sentAt = Date.now();
    // not before the dead engine's claim ran out (the claim, not a guess, keeps two engines apart)
    expect(sentAt).toBeGreaterThanOrEqual(atKill.leaseUntil!.getTime());
    const rows = await db.notification.findMany({ where: { runId: run.id } });
    expect(rows.map((r) => [r.channel, r.ok])).toEqual([["email", true]]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toBe("scientist@lab.example");
    expect(smtp.mails[0]!.body).toMatch(/Subject: \[EManager\] restart-notify@x.org run: DONE/);
    expect(smtp.mails[0]!.body).toMatch(/21 tasks? done, 0 failed/);
    await until(
      "the run to be settled",
      5_000,
      async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).leaseUntil === null,
    );
    const settled = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(settled.leaseOwner).toContain(`:${second.pid}:`);
    // more ticks of the second engine (and a sweep from this process) send nothing more
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await settleRunEnds(db, "another-engine", new Date(), { only: [run.id] })).toEqual([]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.held).toBe(1);
    expect(await db.notification.count({ where: { runId: run.id } })).toBe(1);
  }, 90_000);

  it("a run whose owner wants no notification is settled at once, and runs that ended long ago are never picked up", async () => {
    const { run } = await notifiedUser("quiet@x.org", false);
    const ctx = engineContext(db, { log: () => undefined });
    await until("the quiet run to end and settle", 30_000, async () => {
      await engineTick(ctx, [run.id]);
      const r = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      return r.state === "DONE" && r.leaseUntil === null;
    });
    expect(await db.notification.count({ where: { runId: run.id } })).toBe(0);
    const mailsBefore = smtp.mails.length;

    // a finished run from before this rule (its lease never cleared), ended two days ago, whose owner now wants mail
    await db.user.update({
      where: { email: "quiet@x.org" },
      data: { notifyOnRunEnd: true, notifyEmail: "late@lab.example" },
    });
    await db.run.update({
      where: { id: run.id },
      data: {
        endedAt: new Date(Date.now() - 48 * 3600_000),
        leaseOwner: "gone:1:abc",
        leaseUntil: new Date(Date.now() - 60_000),
      },
    });
    expect(await settleRunEnds(db, "another-engine", new Date(), { only: [run.id] })).toEqual([]);
    await runEndsSettled();
    expect(smtp.mails).toHaveLength(mailsBefore);
  }, 60_000);
});
