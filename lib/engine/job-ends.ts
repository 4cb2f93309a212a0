import { isPilotFinal, isPilotState, PILOT_FINAL } from "../states/pilot";
import type { EngineContext } from "./context";
import { loadEndedPilots, type PilotRow } from "./rows";

/**
 * A pilot the engine ends must not leave its batch job behind. Ending a pilot is a database
 * move; the job is the batch system's, and a cancel can fail (a dropped connection, a controller
 * that does not answer) or the agent's exit may not have ended the job yet. So every pilot that
 * ends with a job owes a confirmation that its job is gone, and the engine keeps cancelling it
 * until the batch system says so.
 *
 * The debt is kept in the pilot row, without a column of its own: a final pilot's `polledAt`
 * is set to its end time (or later) only once the batch system has said its job ended. So a
 * final pilot with a job whose `polledAt` is missing or earlier than `endedAt` still owes it.
 */
export type JobCtx = Pick<EngineContext, "db" | "site" | "now" | "log" | "pollIntervalS">;

/** Pilots that ended longer ago are not chased any more (their resource may be long gone). */
const CHASE_MS = 24 * 3600_000;
/**
 * Last confirmation attempt per pilot and how many in a row failed, in this process: one per
 * poll interval at first, then less and less often (a cluster down for hours, a deleted
 * resource), up to 64 intervals apart.
 */
const lastTry = new Map<string, number>();
const misses = new Map<string, number>();

export function owesConfirmation(p: {
  state: string;
  jobId: string | null;
  endedAt: Date | null;
  polledAt: Date | null;
}): boolean {
  if (!isPilotState(p.state) || !isPilotFinal(p.state) || !p.jobId || !p.endedAt) return false;
  return !p.polledAt || p.polledAt.getTime() < p.endedAt.getTime();
}

/**
 * One round for one job: ask the batch system; ended → true; otherwise (queued, running, or no
 * answer) drain the agent and cancel the job again, → false. Never throws.
 */
export async function chaseJob(
  ctx: JobCtx,
  p: Pick<PilotRow, "resourceId" | "kind" | "jobId" | "sandbox" | "label">,
  cancelFirst: boolean,
): Promise<boolean> {
  if (!p.jobId) return true;
  try {
    const site = await ctx.site(p.resourceId, p.kind);
    if (cancelFirst) await cancel(ctx, site, p);
    const st = (await site.poll([p.jobId])).get(p.jobId);
    if (st?.state === "ended") return true;
    if (!cancelFirst) await cancel(ctx, site, p);
    ctx.log(
      `pilot ${p.label}: job ${p.jobId} not confirmed gone yet (${st ? `${st.state}${st.reason ? `: ${st.reason}` : ""}` : "no answer"}); cancelling again later`,
    );
  } catch (e: unknown) {
    ctx.log(
      `pilot ${p.label}: job ${p.jobId} not confirmed gone yet: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return false;
}

async function cancel(
  ctx: JobCtx,
  site: Awaited<ReturnType<JobCtx["site"]>>,
  p: Pick<PilotRow, "jobId" | "sandbox" | "label">,
): Promise<void> {
  // the drain request first: an agent that still runs leaves cleanly even if the cancel is lost
  if (p.sandbox) await site.drain(p.sandbox).catch(() => undefined);
  try {
    await site.cancel(p.jobId!);
  } catch (e: unknown) {
    ctx.log(
      `cancelling job ${p.jobId} of pilot ${p.label} failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Records that the batch system said the pilot's job has gone. */
export async function markJobGone(ctx: Pick<JobCtx, "db" | "now">, pilotId: string): Promise<void> {
  await ctx.db.pilot.update({ where: { id: pilotId }, data: { polledAt: ctx.now() } });
  lastTry.delete(pilotId);
  misses.delete(pilotId);
}

/**
 * The sweep, for one run (each engine tick, and for a finished run until it is settled): every
 * ended pilot whose job is not confirmed gone is asked about once per poll interval and cancelled
 * again while the batch system does not say it ended. Returns how many still owe it.
 */
export async function chaseEndedJobs(ctx: JobCtx, runId: string): Promise<number> {
  const since = new Date(ctx.now().getTime() - CHASE_MS);
  const rows = await loadEndedPilots(ctx.db, {
    runId,
    state: { in: [...PILOT_FINAL] },
    jobId: { not: null },
    endedAt: { gte: since },
  });
  let owed = 0;
  for (const p of rows.filter(owesConfirmation)) {
    const last = lastTry.get(p.id) ?? 0;
    const missed = misses.get(p.id) ?? 0;
    const t = ctx.now().getTime();
    if (t - last < ctx.pollIntervalS * 1000 * 2 ** Math.min(missed, 6)) {
      owed++;
      continue;
    }
    lastTry.set(p.id, t);
    if (await chaseJob(ctx, p, false)) await markJobGone(ctx, p.id);
    else {
      misses.set(p.id, missed + 1);
      owed++;
    }
  }
  return owed;
}
