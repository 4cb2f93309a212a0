import nodemailer from "nodemailer";

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
  detail: string;
}

export async function sendRunEnd(
  msg: RunEndMessage,
  to: { email?: string | null; webhook?: string | null },
  smtp: { url: string; from: string } | null,
  opts: { timeoutMs?: number } = {},
): Promise<Delivery[]> {
  const out: Delivery[] = [];
  const timeoutMs = opts.timeoutMs ?? 10_000;
  if (to.email) {
    if (!smtp) out.push({ channel: "email", ok: false, detail: "e-mail is not set up on this server (EMANAGER_SMTP_URL is unset)" });
    else out.push(await sendMail(msg, to.email, smtp, timeoutMs));
  }
  if (to.webhook) out.push(await postWebhook(msg, to.webhook, timeoutMs));
  return out;
}

async function sendMail(msg: RunEndMessage, email: string, smtp: { url: string; from: string }, timeoutMs: number): Promise<Delivery> {
  try {
    const transport = nodemailer.createTransport(smtp.url, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
    const info = await transport.sendMail({
      from: smtp.from,
      to: email,
      subject: `[EManager] ${msg.runName}: ${msg.state}`,
      text: `${msg.summary}\n\n${msg.url}\n`,
      attachments: msg.attachments,
    });
    return { channel: "email", ok: true, detail: `accepted for ${email} (${info.messageId})` };
  } catch (e: unknown) {
    return { channel: "email", ok: false, detail: `sending to ${email} through ${redact(smtp.url)} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function postWebhook(msg: RunEndMessage, url: string, timeoutMs: number): Promise<Delivery> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ runId: msg.runId, name: msg.runName, state: msg.state, summary: msg.summary, url: msg.url }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return { channel: "webhook", ok: false, detail: `${url} answered HTTP ${res.status}` };
    return { channel: "webhook", ok: true, detail: `${url} answered HTTP ${res.status}` };
  } catch (e: unknown) {
    return { channel: "webhook", ok: false, detail: `posting to ${url} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Keeps SMTP passwords out of logs and the UI. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
