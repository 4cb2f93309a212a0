import http from "node:http";
import https from "node:https";
import nodemailer from "nodemailer";
import { allowPrivateFromEnv, DestinationRefused, guardedLookup, literalHostRefusal } from "./destination";

/**
 * Delivers a run-end notification by e-mail and/or webhook. Never throws: every channel's
 * outcome is returned so the caller can record it (Notification rows) and show it. A run's
 * result never depends on whether its notification got through.
 */
export interface RunEndMessage {
  runId: string;
  runName: string;
  state: string;
  /** the plain-language report (lib/stats) */
  summary: string;
  /** absolute URL of the run page */
  url: string;
  /** optional attachment, e.g. the timeline SVG */
  attachments?: { filename: string; content: string | Buffer; contentType: string }[];
}

export interface Delivery {
  channel: "email" | "webhook";
  ok: boolean;
  /** what the user sees (Account page): for a webhook only delivered/failed and the HTTP status class */
  detail: string;
  /** for the server's log only: the exact reason (an address refused, a connection error) */
  internal?: string;
}

export async function sendRunEnd(
  msg: RunEndMessage,
  to: { email?: string | null; webhook?: string | null },
  smtp: { url: string; from: string } | null,
  opts: { timeoutMs?: number; allowPrivate?: boolean } = {},
): Promise<Delivery[]> {
  const out: Delivery[] = [];
  const timeoutMs = opts.timeoutMs ?? 10_000;
  if (to.email) {
    if (!smtp)
      out.push({
        channel: "email",
        ok: false,
        detail: "e-mail is not set up on this server (EMANAGER_SMTP_URL is unset)",
      });
    else out.push(await sendMail(msg, to.email, smtp, timeoutMs));
  }
  if (to.webhook)
    out.push(
      await postWebhook(msg, to.webhook, timeoutMs, opts.allowPrivate ?? allowPrivateFromEnv(process.env)),
    );
  return out;
}

async function sendMail(
  msg: RunEndMessage,
  email: string,
  smtp: { url: string; from: string },
  timeoutMs: number,
): Promise<Delivery> {
  try {
    const transport = nodemailer.createTransport(smtp.url, {
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    const info = await transport.sendMail({
      from: smtp.from,
      to: email,
      subject: `[EManager] ${msg.runName}: ${msg.state}`,
      text: `${msg.summary}\n\n${msg.url}\n`,
      attachments: msg.attachments,
    });
    return { channel: "email", ok: true, detail: `accepted for ${email} (${info.messageId})` };
  } catch (e: unknown) {
    return {
      channel: "email",
      ok: false,
      detail: `sending to ${email} through ${redact(smtp.url)} failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/**
 * One JSON POST. Only public destinations unless allowed (./destination.ts); redirects are never
 * followed (a 3xx is a failure: following one could lead into the private network after all).
 * The user learns delivered or failed and at most the status class, never what answered or how
 * a connection failed, so the webhook cannot be used to map the server's network.
 */
async function postWebhook(
  msg: RunEndMessage,
  raw: string,
  timeoutMs: number,
  allowPrivate: boolean,
): Promise<Delivery> {
  const failed = (detail: string, internal: string): Delivery => ({
    channel: "webhook",
    ok: false,
    detail,
    internal: `${raw}: ${internal}`,
  });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return failed("failed: not a valid URL", "not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return failed("failed: only http:// and https:// webhooks are sent", url.protocol);
  const literal = literalHostRefusal(url, allowPrivate);
  if (literal) return failed(REFUSED, literal);
  const body = JSON.stringify({
    runId: msg.runId,
    name: msg.runName,
    state: msg.state,
    summary: msg.summary,
    url: msg.url,
  });
  try {
    const status = await post(url, body, timeoutMs, allowPrivate);
    const cls = `HTTP ${Math.floor(status / 100)}xx`;
    if (status >= 200 && status < 300) return { channel: "webhook", ok: true, detail: `delivered (${cls})` };
    if (status >= 300 && status < 400)
      return failed(`failed (${cls}: redirects are not followed)`, `answered HTTP ${status}`);
    return failed(`failed (${cls})`, `answered HTTP ${status}`);
  } catch (e: unknown) {
    // a name that resolves into the private network reads "failed" like a dead host: saying more
    // would tell which internal names exist
    return failed(
      "failed",
      e instanceof DestinationRefused ? `refused: ${e.message}` : e instanceof Error ? e.message : String(e),
    );
  }
}

const REFUSED = "failed: webhooks go only to public addresses on this server";

function post(url: URL, body: string, timeoutMs: number, allowPrivate: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        "User-Agent": "EManager webhook",
      },
      lookup: guardedLookup(allowPrivate),
      timeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    req.on("response", (res) => {
      res.resume(); // the body is not read, nor shown
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** Keeps SMTP passwords out of logs and the UI. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
