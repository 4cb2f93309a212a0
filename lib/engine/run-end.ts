import { RUN_FINAL } from "../states/run";
import type { Db } from "../db/client";
import { chaseEndedJobs, type JobCtx } from "./job-ends";
import { notifyRunEnd } from "./notify-end";

/**
 * The run-end notification, made to survive the engine. A run that reaches a final state keeps
 * the lease it was driven under (Run.leaseOwner/leaseUntil) until its notification is settled;
 * settling clears `leaseUntil` (`leaseOwner` stays: the engine that drove it last). So a
 * finished run whose `leaseUntil` is still set was never settled:
 * - its owner settles it on the tick that finished it (or the next one);
 * - when the owner died first (SIGKILL while the mail was in flight, a CLI that exited), any
 *   engine claims it once the lease has expired, with the same compare-and-set as for driving
 *   (lib/engine/lease.ts), and sends it.
 * At least once, and once in practice: notifyRunEnd skips a run that already has Notification
 * rows, so a second mail can only follow an owner that died between the SMTP server accepting
 * the message and the row being written.
 *
 * Settled also means: the notification is recorded (a Notification row, when its owner wants one;
 * an error inside notifyRunEnd writes none and is tried again), and every pilot's batch job is
 * confirmed gone (job-ends.ts: a cancel that failed when the run finished is repeated until the
 * batch system says the job ended). Until then the run stays claimed and is tried again.
 */
/** how long a claim on a finished run lasts; renewed while its notification is being sent */
export const SETTLE_CLAIM_MS = 30_000;
/** sendRunEnd's channels time out after 10 s each; renewing at a third of the claim keeps a slow send ours */
const RENEW_MS = SETTLE_CLAIM_MS / 3;
/**
 * Runs that ended longer ago are never picked up: a database from before this rule holds
 * finished runs whose lease was never cleared, and their owners must not be mailed about them now.
 */
const WINDOW_MS = 24 * 3600_000;
/** runs this process is settling right now (a slow SMTP server spans several ticks) */
const settling = new Set<string>();

/** Claims the finished, unsettled runs this engine may settle and settles each in the background; returns their ids. */
export async function settleRunEnds(
  db: Db,
  owner: string,
  now: Date,
  opts: { only?: string[]; log?: (m: string) => void; jobs?: JobCtx } = {},
): Promise<string[]> {
  const log = opts.log ?? (() => undefined);
  const candidates = await db.run.findMany({
    where: {
      state: { in: [...RUN_FINAL] },
      leaseUntil: { not: null },
      endedAt: { gte: new Date(now.getTime() - WINDOW_MS) },
      ...(opts.only ? { id: { in: opts.only } } : {}),
      OR: [{ leaseOwner: owner }, { leaseUntil: { lt: now } }],
    },
    select: { id: true, leaseOwner: true, leaseUntil: true },
  });
  const mine: string[] = [];
  for (const c of candidates) {
    if (settling.has(c.id) || (retryAt.get(c.id) ?? 0) > now.getTime()) continue;
    const won = await db.run.updateMany({
      where: { id: c.id, leaseOwner: c.leaseOwner, leaseUntil: c.leaseUntil },
      data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + SETTLE_CLAIM_MS) },
    });
    if (won.count !== 1) continue;
    mine.push(c.id);
    settling.add(c.id);
    // beside the loop: a slow mail server never delays a tick
    void settle(db, owner, c.id, log, opts.jobs);
  }
  return mine;
}

/** A run this process settled: its id and owner. */
export interface EndedRun {
  id: string;
  userId: string;
}
const endListeners: ((run: EndedRun) => void)[] = [];

/**
 * Called once for each run this process settles (instrumentation.ts: the server stores the run's
 * downloads then, ahead of the first one asked for). A listener that throws is logged and skipped.
 */
export function whenRunEnds(f: (run: EndedRun) => void): void {
  endListeners.push(f);
}

/** runs left unsettled by this process, and when to try them again (a backoff, not every tick) */
const retryAt = new Map<string, number>();
const tries = new Map<string, number>();
const RETRY_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;

async function settle(
  db: Db,
  owner: string,
  runId: string,
  log: (m: string) => void,
  jobs: JobCtx | undefined,
): Promise<void> {
  const renew = setInterval(() => {
    // never after the settle below (leaseUntil null): a settled run must stay settled
    db.run
      .updateMany({
        where: { id: runId, leaseOwner: owner, leaseUntil: { not: null } },
        data: { leaseUntil: new Date(Date.now() + SETTLE_CLAIM_MS) },
      })
      .catch(() => undefined);
  }, RENEW_MS);
  renew.unref();
  try {
    // never throws; delivery failures become Notification rows, other errors are logged
    await notifyRunEnd(db, runId, log);
    const run = await db.run.findUnique({
      where: { id: runId },
      select: {
        userId: true,
        user: { select: { notifyOnRunEnd: true, notifyEmail: true, notifyWebhook: true } },
      },
    });
    // a wanted notification leaves a row, delivered or failed; none means notifyRunEnd hit an error
    const wanted = Boolean(run?.user.notifyOnRunEnd && (run.user.notifyEmail || run.user.notifyWebhook));
    const unsent = wanted && !(await db.notification.findFirst({ where: { runId }, select: { id: true } }));
    const owed = jobs ? await chaseEndedJobs(jobs, runId) : 0;
    if (unsent || owed > 0) {
      // keep the claim (the next sweep renews it); try again after a pause that grows
      // (jobs are chased at a steady pace; a notification that keeps failing, less and less often)
      const n = unsent ? (tries.get(runId) ?? 0) + 1 : 0;
      if (unsent) tries.set(runId, n);
      // on the engine's clock, as the sweep that reads it compares it with its `now`
      retryAt.set(
        runId,
        (jobs?.now() ?? new Date()).getTime() +
          (unsent ? Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** (n - 1)) : RETRY_MS),
      );
      if (unsent) log(`run ${runId}: its run-end notification is not recorded yet; trying again`);
      return;
    }
    retryAt.delete(runId);
    tries.delete(runId);
    await db.run.updateMany({ where: { id: runId, leaseOwner: owner }, data: { leaseUntil: null } });
    for (const f of endListeners)
      try {
        if (run) f({ id: runId, userId: run.userId });
      } catch (e: unknown) {
        log(`run ${runId}: after its end: ${e instanceof Error ? e.message : String(e)}`);
      }
  } catch (e: unknown) {
    // the claim runs out and the next sweep tries again
    log(`run ${runId}: settling its end failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearInterval(renew);
    settling.delete(runId);
  }
}

/** Resolves once this process has no run-end notification in flight (tests; a clean shutdown). */
export async function runEndsSettled(timeoutMs = 30_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (settling.size > 0) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
