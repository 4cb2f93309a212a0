import { moveTasksBulk } from "../db/bulk-moves";
import type { EngineContext } from "./context";
import { loadPilots, loadTasks, type TaskRow } from "./rows";
import { chaseEndedJobs } from "./job-ends";
import { abandonInterruptedLaunch } from "./pilots";
import { handOverAgain, resendPending } from "./tasks";
import type { RunRuntime } from "./runtime";

/**
 * Hand-overs a dead server left half done, finished or undone once by a new server (or this
 * one, on first sight of a run). A pilot left in PMGR_LAUNCHING (its job id never recorded) is
 * FAILED, once that launch is stale, with a drain request in its sandbox (pilots.ts:
 * abandonInterruptedLaunch). The engine
 * moves a task to the next state before doing the work that state names, so a server killed in
 * between leaves it there:
 * - TMGR_SCHEDULING: nothing was sent yet → back to the wait queue, same attempt;
 * - TMGR_STAGING_INPUT: its batch may or may not have reached the agent → on a pilot that still
 *   lives, handed over again with the same attempt (the agent ignores a copy of an attempt it
 *   has: tasks.ts handOverAgain); otherwise, or when that fails, back to the queue as a recorded
 *   retry (attempt + 1), so an agent that did get it runs a stale attempt the engine ignores;
 * - TMGR_STAGING_OUTPUT: its outputs were being copied back → copy them again, then DONE
 *   (or retry when the sandbox no longer has them).
 */
const seen = new WeakSet<RunRuntime>();

/**
 * A launch is synchronous within a tick, so a pilot in PMGR_LAUNCHING at a tick's start belongs
 * to another engine: a dead one, or (several engines, a tick longer than the lease) one still
 * submitting it. Only a launch older than any submission can take (every SSH step has its
 * deadline, and is tried at most three times) is given up on.
 */
export const LAUNCH_ABANDONED_MS = 10 * 60_000;

async function abandonStaleLaunches(ctx: EngineContext, runId: string): Promise<void> {
  const launching = await loadPilots(ctx.db, { runId, state: "PMGR_LAUNCHING" });
  for (const p of launching) {
    const since = await ctx.db.event.findFirst({
      where: { runId, entity: "pilot", entityId: p.id, to: "PMGR_LAUNCHING" },
      orderBy: { id: "desc" },
      select: { at: true },
    });
    if (!since || ctx.now().getTime() - since.at.getTime() > LAUNCH_ABANDONED_MS)
      await abandonInterruptedLaunch(ctx, p);
  }
}

export async function recoverInterrupted(
  ctx: EngineContext,
  rt: RunRuntime,
  runId: string,
  runDir: string,
): Promise<void> {
  // every tick, not only on first sight: an interrupted launch becomes stale while this engine runs
  await abandonStaleLaunches(ctx, runId);
  // every tick: ended pilots whose jobs the batch system has not yet confirmed gone (job-ends.ts)
  await chaseEndedJobs(ctx, runId).catch((e: unknown) =>
    ctx.log(`run ${runId}: chasing ended pilots' jobs: ${e instanceof Error ? e.message : String(e)}`),
  );
  // every tick: hand-overs of this engine that failed ambiguously are made again (tasks.ts)
  await resendPending(ctx, rt).catch((e: unknown) =>
    ctx.log(`run ${runId}: repeating interrupted hand-overs: ${e instanceof Error ? e.message : String(e)}`),
  );
  if (seen.has(rt)) return;
  seen.add(rt);
  const stuck = await loadTasks(ctx.db, {
    runId,
    state: { in: ["TMGR_SCHEDULING", "TMGR_STAGING_INPUT", "TMGR_STAGING_OUTPUT"] },
  });
  if (stuck.length === 0) return;
  const pilots = new Map((await loadPilots(ctx.db, { runId })).map((p) => [p.id, p]));
  const label = (t: TaskRow) => pilots.get(t.pilotId ?? "")?.label ?? "its pilot";
  const at = ctx.now();
  for (const t of stuck.filter((x) => x.state === "TMGR_STAGING_OUTPUT")) {
    const p = pilots.get(t.pilotId ?? "");
    try {
      if (!p?.sandbox) throw new Error("the pilot has no sandbox");
      const site = await ctx.site(p.resourceId, p.kind);
      await site.stageOut(p.sandbox, runDir, rt.specs.get(t.taskId)?.outputs.map((o) => o.path) ?? []);
      await ctx.db.$transaction((tx) =>
        moveTasksBulk(tx, {
          runId,
          from: "TMGR_STAGING_OUTPUT",
          to: "DONE",
          at: ctx.now(),
          ids: [t.id],
          data: () => ({ pilotId: p.id, recovered: true }),
        }),
      );
    } catch (e: unknown) {
      const reason = `retry: its outputs could not be brought back from ${label(t)} after a server restart (${e instanceof Error ? e.message : String(e)})`;
      await ctx.db.$transaction((tx) =>
        moveTasksBulk(tx, {
          runId,
          from: "TMGR_STAGING_OUTPUT",
          to: "TMGR_SCHEDULING_PENDING",
          at,
          ids: [t.id],
          reason,
          set: { pilotId: null, attempt: t.attempt + 1 },
          data: () => ({ fromPilotId: t.pilotId, attempt: t.attempt + 1 }),
        }),
      );
    }
  }
  // interrupted hand-overs to a pilot that still lives: handed over again, same attempt (tasks.ts)
  const again = new Set<string>();
  for (const p of pilots.values()) {
    const mine = stuck.filter((t) => t.state === "TMGR_STAGING_INPUT" && t.pilotId === p.id);
    if (mine.length === 0 || !p.sandbox || !["PMGR_ACTIVE_PENDING", "PMGR_ACTIVE"].includes(p.state))
      continue;
    try {
      await handOverAgain(ctx, rt, runDir, p, mine);
      for (const t of mine) again.add(t.id);
    } catch (e: unknown) {
      ctx.log(
        `run ${runId}: handing ${mine.length} task(s) to ${p.label} again failed, they are retried: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  await ctx.db.$transaction(async (tx) => {
    for (const t of stuck.filter((x) => x.state === "TMGR_SCHEDULING")) {
      const reason = `rebind: its hand-over to ${label(t)} was interrupted before anything was sent (server restart)`;
      await moveTasksBulk(tx, {
        runId,
        from: "TMGR_SCHEDULING",
        to: "TMGR_SCHEDULING_PENDING",
        at,
        ids: [t.id],
        reason,
        set: { pilotId: null },
        data: () => ({ fromPilotId: t.pilotId, attempt: t.attempt }),
      });
    }
    for (const t of stuck.filter((x) => x.state === "TMGR_STAGING_INPUT" && !again.has(x.id))) {
      const attempt = t.attempt + 1;
      const reason = `retry: its hand-over to ${label(t)} was interrupted (server restart); attempt ${t.attempt}, if the agent got it, is ignored`;
      await moveTasksBulk(tx, {
        runId,
        from: "TMGR_STAGING_INPUT",
        to: "TMGR_SCHEDULING_PENDING",
        at,
        ids: [t.id],
        reason,
        set: { pilotId: null, attempt },
        data: () => ({ fromPilotId: t.pilotId, attempt }),
      });
    }
  });
  ctx.log(`run ${runId}: recovered ${stuck.length} interrupted hand-over(s) after a restart`);
}
