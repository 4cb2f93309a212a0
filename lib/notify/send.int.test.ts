import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendRunEnd, type RunEndMessage } from "./send";
import { startTestSmtp, type TestSmtp } from "../test-support/smtp";
import { ZNotifySettings } from "./settings";

// A real SMTP listener and a real HTTP server on loopback receive what EManager sends.
const hooks: unknown[] = [];
const hits: string[] = [];
let smtp: TestSmtp;
let smtpPort = 0;
let hookPort = 0;
const hookServer = http.createServer((req, res) => {
  let b = "";
  req.on("data", (c: Buffer) => (b += c.toString()));
  req.on("end", () => {
    hits.push(req.url ?? "");
    if (req.url === "/redirect") {
      res.writeHead(307, { Location: "/hook" }).end();
      return;
    }
    if (req.url === "/fail") {
      res.writeHead(500).end();
      return;
    }
    hooks.push(JSON.parse(b));
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  smtp = await startTestSmtp();
  smtpPort = smtp.port;
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
  hookPort = (hookServer.address() as AddressInfo).port;
});
afterAll(async () => {
  await smtp.close();
  await new Promise<void>((r) => hookServer.close(() => r()));
});

const msg: RunEndMessage = {
  runId: "r1",
  runName: "SC2014 demo",
  state: "DONE",
  summary: "21 tasks done, 0 failed; TTC 95 s",
  url: "http://127.0.0.1:3000/runs/r1",
};

// The listeners are on loopback, which webhooks may only reach when allowed (as an administrator would).
const LOCAL_OK = { allowPrivate: true };

describe("run-end notification", () => {
  it("smtp.mails the report through SMTP and posts the webhook", async () => {
    const d = await sendRunEnd(
      msg,
      { email: "ada@example.org", webhook: `http://127.0.0.1:${hookPort}/hook` },
      { url: `smtp://127.0.0.1:${smtpPort}`, from: "EManager <em@localhost>" },
      LOCAL_OK,
    );
    expect(d.map((x) => [x.channel, x.ok])).toEqual([
      ["email", true],
      ["webhook", true],
    ]);
    expect(smtp.mails[0]?.to).toBe("ada@example.org");
    expect(smtp.mails[0]?.body).toContain("Subject: [EManager] SC2014 demo: DONE");
    expect(smtp.mails[0]?.body).toContain("21 tasks done, 0 failed; TTC 95 s");
    expect(hooks[0]).toEqual({
      runId: "r1",
      name: "SC2014 demo",
      state: "DONE",
      summary: msg.summary,
      url: msg.url,
    });
  });
  it("reports a failed delivery instead of throwing", async () => {
    const d = await sendRunEnd(
      msg,
      { email: "ada@example.org", webhook: `http://127.0.0.1:${hookPort}/fail` },
      { url: "smtp://user:secret@127.0.0.1:1", from: "x@y" },
      { timeoutMs: 2000, ...LOCAL_OK },
    );
    expect(d[0]).toMatchObject({ channel: "email", ok: false });
    expect(d[0]?.detail).toContain("smtp://user:***@127.0.0.1:1");
    expect(d[0]?.detail).not.toContain("secret");
    expect(d[1]).toMatchObject({ channel: "webhook", ok: false, detail: "failed (HTTP 5xx)" });
    const none = await sendRunEnd(msg, { email: "a@b.org" }, null);
    expect(none).toEqual([
      {
        channel: "email",
        ok: false,
        detail: "e-mail is not set up on this server (EMANAGER_SMTP_URL is unset)",
      },
    ]);
  });
  it("refuses loopback, private and mapped destinations by default, and tells the user no more than failed", async () => {
    hits.length = 0;
    for (const url of [
      `http://127.0.0.1:${hookPort}/hook`,
      `http://localhost:${hookPort}/hook`,
      `http://[::ffff:127.0.0.1]:${hookPort}/hook`,
      `http://0x7f.1:${hookPort}/hook`,
      `http://2130706433:${hookPort}/hook`,
      `http://[::1]:${hookPort}/hook`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.1.2.3/",
      "http://192.168.0.1/",
      "http://172.20.0.1/",
      "http://100.64.0.1/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
    ]) {
      const [d] = await sendRunEnd(msg, { webhook: url }, null, { timeoutMs: 2000 });
      expect(d, url).toMatchObject({ channel: "webhook", ok: false });
      expect(d!.detail, url).toMatch(/^failed/);
      expect(d!.detail, url).not.toMatch(/127\.0\.0\.1|HTTP|ECONNREFUSED|answered/);
    }
    expect(hits).toEqual([]);
  });
  it("never follows a redirect, even to an allowed place", async () => {
    hits.length = 0;
    const [d] = await sendRunEnd(msg, { webhook: `http://127.0.0.1:${hookPort}/redirect` }, null, LOCAL_OK);
    expect(d).toMatchObject({ ok: false, detail: "failed (HTTP 3xx: redirects are not followed)" });
    expect(hits).toEqual(["/redirect"]);
  });
  it("reports success as delivered with the status class only", async () => {
    const [d] = await sendRunEnd(msg, { webhook: `http://127.0.0.1:${hookPort}/hook` }, null, LOCAL_OK);
    expect(d).toEqual({ channel: "webhook", ok: true, detail: "delivered (HTTP 2xx)" });
  });
  it("validates settings with messages a user can act on", () => {
    expect(
      ZNotifySettings.safeParse({ notifyOnRunEnd: true, notifyEmail: "", notifyWebhook: "" }).error?.issues[0]
        ?.message,
    ).toMatch(/Give an e-mail address or a webhook/);
    expect(
      ZNotifySettings.safeParse({ notifyOnRunEnd: false, notifyEmail: "nope", notifyWebhook: "" }).error
        ?.issues[0]?.message,
    ).toMatch(/valid e-mail/);
    expect(
      ZNotifySettings.safeParse({ notifyOnRunEnd: true, notifyEmail: "", notifyWebhook: "ftp://x.org/a" })
        .error?.issues[0]?.message,
    ).toMatch(/http/);
    expect(
      ZNotifySettings.safeParse({ notifyOnRunEnd: true, notifyEmail: "a@b.org", notifyWebhook: "" }).success,
    ).toBe(true);
  });
});
