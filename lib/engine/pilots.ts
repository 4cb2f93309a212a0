import { movePilot } from "../db/state-writes";
import { isPilotFinal } from "../states/pilot";
import type { EngineContext } from "./context";
import type { PilotRow } from "./rows";
import { chaseJob } from "./job-ends";
import type { JobStatus } from "../batch/types";
import type { PilotSite } from "./ports";

/**
 * The pilot manager: submit planned pilots, follow them through the batch system and the
 * agent's heartbeat, cancel them. It only moves pilot states; what happens to the tasks of a
 * pilot that ended is the task manager's business (lib/engine/tasks.ts).
 */

function envLines(raw: string | null | undefined): string[] {
  return (raw ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export async function launchPilot(ctx: EngineContext, p: PilotRow, envSetup: string | null): Promise<void> {
  const now = ctx.now();
  const won = await ctx.db.$transaction((tx) =>
    movePilot(tx, { id: p.id, runId: p.runId, entityId: p.id, from: p.state, to: "PMGR_LAUNCHING", at: now }),
  );
  if (!won) return;
  let result: { ok: true; jobId: string; sandbox: string } | { ok: false; message: string };
  try {
    const site = await ctx.site(p.resourceId, p.kind);
    const sandbox = await sandboxFor(site, p);
    const r = await site.launch({
      pilotId: p.id,
      sandbox,
      jobName: `emanager-${p.runId.slice(-6)}-p${p.index}`,
      cores: p.cores,
      nodes: p.nodes,
      walltimeMinutes: p.walltimeMinutes,
      queue: p.queue,
      project: p.project,
      envSetup: envLines(envSetup),
    });
    result = r.ok ? { ok: true, jobId: r.jobId, sandbox } : r;
  } catch (e: unknown) {
    result = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const at = ctx.now();
  await ctx.db.$transaction((tx) =>
    result.ok
      ? movePilot(tx, {
          id: p.id,
          runId: p.runId,
          entityId: p.id,
          from: "PMGR_LAUNCHING",
          to: "PMGR_ACTIVE_PENDING",
          at,
          set: { jobId: result.jobId, sandbox: result.sandbox, submittedAt: at },
          data: { jobId: result.jobId },
        })
      : movePilot(tx, {
          id: p.id,
          runId: p.runId,
          entityId: p.id,
          from: "PMGR_LAUNCHING",
          to: "FAILED",
          at,
          reason: `submission failed: ${result.message}`,
          set: { reason: `submission failed: ${result.message}`, endedAt: at },
        }),
  );
}

/** A pilot's sandbox on its resource: the same path on every try, so a restarted server finds it. */
export async function sandboxFor(site: PilotSite, p: Pick<PilotRow, "runId" | "index">): Promise<string> {
  return `${await site.sandboxRoot()}/run-${p.runId}/pilot-${p.index}`;
}

/**
 * A pilot a dead server left in PMGR_LAUNCHING: it died between "launching" and recording the
 * job id. Whether the batch system got the job is unknown, and without its id the engine can
 * neither follow nor cancel it; waiting for it would hang the run. It is FAILED, and a drain
 * request is left in its sandbox, so an agent that does start there exits at once (it reports
 * its tasks and leaves) instead of holding the allocation until its walltime.
 */
export async function abandonInterruptedLaunch(ctx: EngineContext, p: PilotRow): Promise<void> {
  try {
    const site = await ctx.site(p.resourceId, p.kind);
    await site.drain(await sandboxFor(site, p));
  } catch (e: unknown) {
    // no sandbox yet: the server died before making it, so no job was submitted either
    ctx.log(
      `pilot ${p.label}: no drain request left for an interrupted launch: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  await endPilot(
    ctx,
    p,
    "FAILED",
    "its submission was interrupted by a server restart; a job that was queued anyway is told to drain when it starts",
    false,
  );
}

/**
 * Ends a pilot. With `cancelJob`, its job is cancelled first and the batch system asked whether
 * it has gone; `jobGone`: the batch system already said so. A job not confirmed gone here is
 * chased by the sweep (job-ends.ts) until it is, so no pilot the engine gives up on leaves its
 * job on the cluster.
 */
export async function endPilot(
  ctx: EngineContext,
  p: PilotRow,
  to: "DONE" | "FAILED" | "CANCELED",
  reason: string,
  cancelJob: boolean,
  jobGone = false,
): Promise<boolean> {
  if (isPilotFinal(p.state)) return false;
  const gone = jobGone || !p.jobId || (cancelJob && (await chaseJob(ctx, p, true)));
  const at = ctx.now();
  return ctx.db.$transaction(async (tx) => {
    const moved = await movePilot(tx, {
      id: p.id,
      runId: p.runId,
      entityId: p.id,
      from: p.state,
      to,
      at,
      reason,
      set: { reason, endedAt: at },
    });
    if (moved && gone && p.jobId) await tx.pilot.update({ where: { id: p.id }, data: { polledAt: at } });
    return moved;
  });
}

/**
 * Asks the batch system how the pilot's job is doing; ends the pilot when the job ended without
 * its agent saying so. Returns what the batch system said (the driver keeps queue blocks).
 */
export async function pollPilot(ctx: EngineContext, p: PilotRow): Promise<JobStatus | null> {
  if (!p.jobId) return null;
  const site = await ctx.site(p.resourceId, p.kind);
  const st = (await site.poll([p.jobId])).get(p.jobId) ?? null;
  await ctx.db.pilot.update({ where: { id: p.id }, data: { polledAt: ctx.now() } });
  if (!st || st.state !== "ended") return st;
  const why = st.reason ? `batch job ${p.jobId} ended: ${st.reason}` : `batch job ${p.jobId} ended`;
  const detail =
    p.state === "PMGR_ACTIVE"
      ? `${why} (the agent did not report its exit)`
      : `${why} before its agent became active`;
  // the batch system's own word that the job ended (lib/batch/trouble.ts): nothing left to cancel
  await endPilot(ctx, p, "FAILED", detail, false, true);
  return st;
}

/** An active pilot whose agent stopped writing its heartbeat is failed: its node or job is gone. */
export async function checkHeartbeat(ctx: EngineContext, p: PilotRow): Promise<void> {
  if (p.state !== "PMGR_ACTIVE" || !p.sandbox) return;
  const site = await ctx.site(p.resourceId, p.kind);
  const age = await site.heartbeatAgeMs(p.sandbox, ctx.now().getTime());
  if (age !== null && age > ctx.heartbeatTimeoutS * 1000) {
    await endPilot(
      ctx,
      p,
      "FAILED",
      `no heartbeat for ${Math.round(age / 1000)} s (limit ${ctx.heartbeatTimeoutS} s)`,
      true,
    );
  }
}
