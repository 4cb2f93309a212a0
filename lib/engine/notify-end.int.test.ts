import http from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { startRun } from "../test-support/engine-run";
import { startTestSmtp, type TestSmtp } from "../test-support/smtp";
import { notifyRunEnd, runUrl } from "./notify-end";
import { engineContext, engineTick } from "./wiring";

// The run-end notification for real: a local run finishes, the engine mails the owner through a
// real SMTP listener on loopback, once; a webhook that answers 500 is recorded as failed and the
// run stays DONE.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-notify-run-"));
let smtp: TestSmtp;
const failingHook = http.createServer((_req, res) => res.writeHead(500).end());
let db: Db;
beforeAll(async () => {
  process.env.EMANAGER_DATA_DIR = DATA;
  smtp = await startTestSmtp();
  await new Promise<void>((r) => failingHook.listen(0, "127.0.0.1", r));
  process.env.EMANAGER_SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
  // the failing webhook listens on loopback, which only an administrator's setting allows
  process.env.EMANAGER_WEBHOOK_ALLOW_PRIVATE = "1";
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(async () => {
  delete process.env.EMANAGER_SMTP_URL;
  delete process.env.EMANAGER_WEBHOOK_ALLOW_PRIVATE;
  await db.$disconnect();
  await smtp.close();
  await new Promise<void>((r) => failingHook.close(() => r()));
});

const demo = readFileSync(
  path.resolve(process.cwd(), "../shared/fixtures/skeletons/emanager_skeleton_demo_SC2014.conf"),
  "utf8",
)
  .replace("uniform 10", "uniform 0.2")
  .replace("uniform 32", "uniform 0.2");

async function runToEnd(email: string, prefs: { notifyEmail: string | null; notifyWebhook: string | null }) {
  const u = await db.user.create({ data: { email, passwordHash: "h", notifyOnRunEnd: true, ...prefs } });
  const res = await db.resource.create({
    data: { userId: u.id, label: "local", kind: "local", coresPerNode: 4 },
  });
  const { run } = await startRun(db, u.id, "notified demo", demo, [
    { resourceId: res.id, resource: "local", kind: "local", cores: 4, walltimeMinutes: 5 },
  ]);
  const ctx = engineContext(db, { log: () => undefined });
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    await engineTick(ctx, [run.id]);
    if ((await db.notification.count({ where: { runId: run.id } })) > 0) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  return { user: u, run: await db.run.findUniqueOrThrow({ where: { id: run.id } }) };
}

describe("run-end notification from the engine", () => {
  it("mails the owner once with the run's summary, link and timeline", async () => {
    const { run } = await runToEnd("mailme@x.org", {
      notifyEmail: "scientist@lab.example",
      notifyWebhook: null,
    });
    expect(run.state).toBe("DONE");
    const rows = await db.notification.findMany({ where: { runId: run.id } });
    expect(rows.map((r) => [r.channel, r.ok])).toEqual([["email", true]]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toBe("scientist@lab.example");
    expect(smtp.mails[0]!.body).toMatch(/Subject: \[EManager\] notified demo: DONE/);
    expect(smtp.mails[0]!.body).toMatch(/21 tasks? done, 0 failed/);
    expect(smtp.mails[0]!.body).toContain(runUrl(run.id));
    expect(smtp.mails[0]!.body).toContain("timeline.svg");
    // never twice: another tick or a restarted engine finds the Notification row
    expect(await notifyRunEnd(db, run.id)).toEqual([]);
    expect(smtp.mails).toHaveLength(1);
  }, 90_000);

  it("records a failed delivery without touching the run", async () => {
    const hook = `http://127.0.0.1:${(failingHook.address() as AddressInfo).port}/hook`;
    const { run } = await runToEnd("hookme@x.org", { notifyEmail: null, notifyWebhook: hook });
    expect(run.state).toBe("DONE");
    const rows = await db.notification.findMany({ where: { runId: run.id } });
    expect(rows.map((r) => [r.channel, r.ok, r.detail])).toEqual([["webhook", false, "failed (HTTP 5xx)"]]);
  }, 90_000);
});
