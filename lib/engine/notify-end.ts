import { isRunFinal, isRunState } from "../states/run";
import type { Db } from "../db/client";
import { loadRunRecord } from "../db/run-record";
import { sendRunEnd, type Delivery } from "../notify/send";
import { smtpFromEnv } from "../notify/settings";
import { emptyView, foldEvents } from "../stats/fold";
import { computeStats, plainReport } from "../stats/metrics";
import { runTimelineSvg } from "../timeline/export";

/** runs whose notification is being sent by this process (a slow SMTP server spans several ticks) */
const inFlight = new Set<string>();

/** The run page's public address: NEXTAUTH_URL when set (behind a proxy), else the server's own. */
export function runUrl(runId: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.NEXTAUTH_URL ?? `http://${env.EMANAGER_HOST ?? "127.0.0.1"}:${env.PORT ?? "3000"}`;
  return `${base.replace(/\/$/, "")}/runs/${runId}`;
}

/**
 * The original mailed its report after the run; EManager does it per user, off by default, by
 * e-mail and/or webhook. Once per run: a run that already has Notification rows is not sent
 * again (a restarted server does not repeat it). A failed delivery is recorded and shown on the
 * Account page; it never changes the run.
 */
export async function notifyRunEnd(
  db: Db,
  runId: string,
  log: (m: string) => void = () => undefined,
): Promise<Delivery[]> {
  if (inFlight.has(runId)) return [];
  inFlight.add(runId);
  try {
    const run = await db.run.findUnique({
      where: { id: runId },
      select: {
        id: true,
        userId: true,
        state: true,
        user: { select: { notifyOnRunEnd: true, notifyEmail: true, notifyWebhook: true } },
      },
    });
    if (!run || !(isRunState(run.state) && isRunFinal(run.state)) || !run.user.notifyOnRunEnd) return [];
    if (await db.notification.findFirst({ where: { runId }, select: { id: true } })) return [];
    const rec = await loadRunRecord(db, run.userId, runId);
    if (!rec) return [];
    const summary = plainReport(computeStats(rec.events, foldEvents(emptyView(), rec.events)));
    const svg = runTimelineSvg(rec);
    const deliveries = await sendRunEnd(
      {
        runId,
        runName: rec.name,
        state: rec.state,
        summary: `${rec.name}: ${rec.state}${rec.stateReason ? ` (${rec.stateReason})` : ""}.\n${summary}`,
        url: runUrl(runId),
        attachments: [{ filename: "timeline.svg", content: svg, contentType: "image/svg+xml" }],
      },
      { email: run.user.notifyEmail, webhook: run.user.notifyWebhook },
      smtpFromEnv(process.env),
    );
    for (const d of deliveries)
      await db.notification.create({
        data: { userId: run.userId, runId, channel: d.channel, ok: d.ok, detail: d.detail.slice(0, 2000) },
      });
    for (const d of deliveries.filter((x) => !x.ok))
      log(`run ${runId}: ${d.channel} notification failed: ${d.internal ?? d.detail}`);
    return deliveries;
  } catch (e: unknown) {
    log(`run ${runId}: notification not sent: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  } finally {
    inFlight.delete(runId);
  }
}
