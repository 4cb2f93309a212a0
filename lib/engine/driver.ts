import { mkdir } from "node:fs/promises";
import { moveTasksBulk } from "../db/bulk-moves";
import { moveRun } from "../db/state-writes";
import { isPilotFinal, PILOT_LIVE } from "../states/pilot";
import { isRunFinal, isRunState } from "../states/run";
import { TASK_FINAL, TASK_HOLDS_CORES } from "../states/task";
import { notifyRun } from "./bus";
import type { EngineContext } from "./context";
import {
  agentExitState,
  bindLate,
  capacities,
  onPilotEnded,
  readiness,
  SIGNAL_EXITS,
  stuckReasonOf,
  type Capacity,
} from "./decide";
import { checkHeartbeat, endPilot, launchPilot, pollPilot } from "./pilots";
import { readPilotFacts } from "./monitor";
import { noteJobStatus, queueBlocks } from "./queue-block";
import { recoverInterrupted } from "./recover";
import { loadPilot, loadPilots, loadTasks, loadTasksIn, type PilotRow, type TaskRow } from "./rows";
import { forgetRuntime, requeue, runtimeFor, type LiveRuntime } from "./runtime";
import { measuredPrefetch } from "./prefetch";
import { eachWaitingSlice } from "./queue";
import { wakeEngine } from "./wake";
import { surplusCount, surplusToCancel } from "./surplus";
import { createInitialInputs } from "./run-dir";
import { busyCores, collect, dispatch } from "./tasks";

/** The run's columns every step reads. */
interface DrivenRun {
  id: string;
  state: "NEW" | "ACTIVE";
  dir: string;
  maxRetries: number;
  cancelRequestedAt: Date | null;
  plan: string;
}

/**
 * One engine step for one run, as a list of named steps. Every step is idempotent, so a tick
 * that dies half-way (or a server killed mid-tick) is simply repeated by the next one.
 */
export async function driveRun(ctx: EngineContext, runId: string): Promise<void> {
  const run = await openRun(ctx, runId);
  if (!run) return;
  const rt = await runtimeFor(ctx.db, runId);
  if (run.state === "NEW") await startRun(ctx, rt, run);
  await recoverInterrupted(ctx, rt, runId, run.dir);
  if (run.cancelRequestedAt) return cancelRun(ctx, runId, await loadPilots(ctx.db, { runId }));
  await launchNewPilots(ctx, runId);
  await watchLivePilots(ctx, rt, run);
  const pilots = await cancelSurplus(ctx, run);
  // tasks held by pilots that ended go back to the queue, are retried, or fail (before collecting,
  // so that a task killed along with its pilot is retried rather than failed)
  await releaseFromEndedPilots(ctx, rt, pilots, run.maxRetries);
  await collectFinished(ctx, rt, run, pilots);
  await bindReady(ctx, rt, run, pilots);
  await finishIfDone(ctx, runId, queueBlocks(rt));
  notifyRun(runId);
}

/** The run, when it is one this engine should drive now (not final, with a directory). */
async function openRun(ctx: EngineContext, runId: string): Promise<DrivenRun | null> {
  const run = await ctx.db.run.findUnique({
    where: { id: runId },
    select: { id: true, state: true, dir: true, maxRetries: true, cancelRequestedAt: true, plan: true },
  });
  if (!run || !run.dir || !isRunState(run.state) || isRunFinal(run.state)) return null;
  if (run.state !== "NEW" && run.state !== "ACTIVE") return null;
  return { ...run, state: run.state, dir: run.dir };
}

/** NEW → ACTIVE: the run directory with the first stage's inputs, every task waiting. */
async function startRun(ctx: EngineContext, rt: LiveRuntime, run: DrivenRun): Promise<void> {
  await mkdir(run.dir, { recursive: true });
  await createInitialInputs(run.dir, [...rt.specs.values()]);
  const now = ctx.now();
  const runId = run.id;
  await ctx.db.$transaction(async (tx) => {
    if (
      !(await moveRun(tx, {
        id: runId,
        runId,
        entityId: runId,
        from: "NEW",
        to: "ACTIVE",
        at: now,
        set: { startedAt: now },
      }))
    )
      return;
    const ids = (await tx.task.findMany({ where: { runId, state: "NEW" }, select: { id: true } })).map(
      (t) => t.id,
    );
    await moveTasksBulk(tx, {
      runId,
      from: "NEW",
      to: "TMGR_SCHEDULING_PENDING",
      at: now,
      ids,
      data: () => ({ attempt: 0 }),
    });
  });
  requeue(rt);
}

/** Submits every pilot still NEW, with its resource's environment lines. */
async function launchNewPilots(ctx: EngineContext, runId: string): Promise<void> {
  const envByResource = new Map<string, string>();
  for (const p of await loadPilots(ctx.db, { runId, state: "NEW" })) {
    if (p.resourceId && !envByResource.has(p.resourceId)) {
      const r = await ctx.db.resource.findUnique({ where: { id: p.resourceId }, select: { envSetup: true } });
      envByResource.set(p.resourceId, r?.envSetup ?? "");
    }
    await launchPilot(ctx, p, p.resourceId ? (envByResource.get(p.resourceId) ?? null) : null);
  }
}

/** Per live pilot: a user's cancel, the agent's new facts, the batch status (per poll interval), the heartbeat. */
async function watchLivePilots(ctx: EngineContext, rt: LiveRuntime, run: DrivenRun): Promise<void> {
  const live = await loadPilots(ctx.db, { runId: run.id, state: { in: [...PILOT_LIVE] } });
  await watchSandboxes(ctx, rt, live);
  for (const p of live) {
    try {
      if (p.cancelRequestedAt) {
        await endPilot(ctx, p, "CANCELED", "cancelled by the user", true);
        continue;
      }
      const { exited } = await readPilotFacts(ctx, rt, p, run.maxRetries);
      if (exited?.kind === "agent_exit") {
        // the facts just read may have moved the pilot (to PMGR_ACTIVE): end it from where it is now
        const now = await loadPilot(ctx.db, p.id);
        if (now)
          await endPilot(ctx, now, agentExitState(exited.reason), `agent exited: ${exited.reason}`, false);
        continue;
      }
      const t = ctx.now().getTime();
      if (t - (rt.lastPoll.get(p.id) ?? 0) > ctx.pollIntervalS * 1000) {
        rt.lastPoll.set(p.id, t);
        noteJobStatus(rt, p.id, await pollPilot(ctx, p));
      }
      await checkHeartbeat(ctx, p);
    } catch (e: unknown) {
      // a dropped connection or a slow login node: log and try again next tick, the run goes on
      ctx.log(`pilot ${p.label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Live pilots' sandboxes wake the engine when their agents write (where the site can watch). */
async function watchSandboxes(ctx: EngineContext, rt: LiveRuntime, live: PilotRow[]): Promise<void> {
  const ids = new Set(live.map((p) => p.id));
  for (const [id, stop] of rt.watches)
    if (!ids.has(id)) {
      stop();
      rt.watches.delete(id);
    }
  for (const p of live) {
    if (!p.sandbox || rt.watches.has(p.id)) continue;
    const stop = (await ctx.site(p.resourceId, p.kind)).watchEvents?.(p.sandbox, wakeEngine);
    if (stop) rt.watches.set(p.id, stop);
  }
}

/** Cancels the plan's surplus pilots once enough others are active (surplus.ts); returns the pilots as they are now. */
async function cancelSurplus(ctx: EngineContext, run: DrivenRun): Promise<PilotRow[]> {
  const pilots = await loadPilots(ctx.db, { runId: run.id });
  const surplus = surplusToCancel(pilots, surplusCount(run.plan));
  if (surplus.ids.length === 0) return pilots;
  for (const p of pilots.filter((x) => surplus.ids.includes(x.id)))
    await endPilot(ctx, p, "CANCELED", surplus.reason, true);
  return loadPilots(ctx.db, { runId: run.id });
}

async function releaseFromEndedPilots(
  ctx: EngineContext,
  rt: LiveRuntime,
  pilots: PilotRow[],
  maxRetries: number,
): Promise<void> {
  const runId = rt.runId;
  const ended = pilots.filter((p) => isPilotFinal(p.state));
  if (ended.length === 0) return;
  const failed = ended.filter((p) => p.state !== "DONE").map((p) => p.id);
  const held = await loadTasks(ctx.db, {
    runId,
    OR: [
      { pilotId: { in: ended.map((p) => p.id) }, state: { in: [...TASK_HOLDS_CORES] } },
      { pilotId: { in: failed }, state: "AGENT_STAGING_OUTPUT", exitCode: { in: [...SIGNAL_EXITS] } },
    ],
  });
  if (held.length === 0) return;
  requeue(rt);
  const at = ctx.now();
  await ctx.db.$transaction(async (tx) => {
    for (const p of ended) {
      for (const v of onPilotEnded(
        p,
        held.filter((t) => t.pilotId === p.id),
        maxRetries,
      )) {
        const from = v.task.state;
        if (v.action === "fail") {
          await moveTasksBulk(tx, {
            runId,
            from,
            to: "FAILED",
            at,
            ids: [v.task.id],
            reason: v.reason,
            set: { reason: v.reason },
            data: () => ({ pilotId: p.id, attempt: v.task.attempt }),
          });
        } else {
          const attempt = v.action === "retry" ? v.task.attempt + 1 : v.task.attempt;
          await moveTasksBulk(tx, {
            runId,
            from,
            to: "TMGR_SCHEDULING_PENDING",
            at,
            ids: [v.task.id],
            reason: v.reason,
            set: { pilotId: null, attempt },
            data: () => ({ fromPilotId: p.id, attempt }),
          });
        }
      }
    }
  });
}

/** Brings back the outputs of finished tasks on any pilot (one that just ended may still hold them in its sandbox). */
async function collectFinished(
  ctx: EngineContext,
  rt: LiveRuntime,
  run: DrivenRun,
  pilots: PilotRow[],
): Promise<void> {
  const finished = await loadTasks(ctx.db, { runId: run.id, state: "AGENT_STAGING_OUTPUT" });
  for (const p of pilots) {
    const mine = finished.filter((t) => t.pilotId === p.id);
    if (mine.length === 0) continue;
    try {
      await collect(ctx, rt, run.dir, p, mine);
    } catch (e: unknown) {
      ctx.log(`collecting outputs from ${p.label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/**
 * Fails the tasks whose inputs will never come, and hands the ready ones to active pilots
 * (decide.ts), reading only as much of the wait queue as the pilots can take (queue.ts).
 */
async function bindReady(
  ctx: EngineContext,
  rt: LiveRuntime,
  run: DrivenRun,
  pilots: PilotRow[],
): Promise<void> {
  const runId = run.id;
  if (!pilots.some((p) => p.state === "PMGR_ACTIVE" && !p.cancelRequestedAt)) return;
  const busy = await busyCores(ctx.db, runId);
  const measured = measuredPrefetch(rt.rates, ctx.tickS);
  const o = { share: ctx.prefetchShare, tickS: ctx.tickS };
  let caps: Capacity[] | null = null;
  // the first slice is sized from the largest the pilots could take (tasks of no length)
  const first = room(capacities(pilots, [{ length: 0 }], busy, o, measured));
  if (first <= 0) return;
  await eachWaitingSlice(
    ctx.db,
    rt,
    Math.max(64, Math.min(first, 20_000)),
    async (waiting) => {
      const deps = await producers(ctx, rt, waiting);
      const { ready, blocked } = readiness(rt, waiting, deps);
      if (blocked.length) await failBlocked(ctx, runId, blocked, deps);
      caps ??= capacities(pilots, ready, busy, o, measured);
      const bound = bindLate(ready, caps);
      const done = new Set<string>(blocked.map((b) => b.task.id));
      for (const [pilotId, list] of bound) {
        const c = caps.find((x) => x.pilot.id === pilotId)!;
        for (const t of list) c.free -= t.cores;
        const p = pilots.find((x) => x.id === pilotId)!;
        try {
          await dispatch(ctx, rt, run.dir, p, list);
          for (const t of list) done.add(t.id);
        } catch (e: unknown) {
          // the tasks went back to the wait queue (or wait for their hand-over to be repeated)
          requeue(rt);
          ctx.log(
            `dispatching ${list.length} task(s) to ${p.label}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
      return { done, full: room(caps) <= 0 };
    },
    ctx.now().getTime(),
  );
}

/** Tasks the pilots can still take, in cores. */
function room(caps: readonly Capacity[]): number {
  return caps.reduce((a, c) => a + Math.max(0, c.free), 0);
}

/** The tasks whose outputs `waiting` read, with their states now. */
async function producers(
  ctx: EngineContext,
  rt: LiveRuntime,
  waiting: TaskRow[],
): Promise<Map<string, TaskRow>> {
  const names = waiting.flatMap((t) => rt.specs.get(t.taskId)?.dependsOn ?? []);
  return new Map((await loadTasksIn(ctx.db, rt.runId, "taskId", names)).map((r) => [r.taskId, r]));
}

async function failBlocked(
  ctx: EngineContext,
  runId: string,
  blocked: { task: TaskRow; by: string }[],
  byTaskId: Map<string, TaskRow>,
): Promise<void> {
  const at = ctx.now();
  await ctx.db.$transaction(async (tx) => {
    for (const b of blocked) {
      const reason = `its input comes from ${b.by}, which ${byTaskId.get(b.by)?.state ?? "did not finish"}`;
      await moveTasksBulk(tx, {
        runId,
        from: "TMGR_SCHEDULING_PENDING",
        to: "FAILED",
        at,
        ids: [b.task.id],
        reason,
        set: { reason },
      });
    }
  });
}

async function finishIfDone(
  ctx: EngineContext,
  runId: string,
  queueBlocked: ReadonlyMap<string, string>,
): Promise<void> {
  // one indexed count, not the rows: this runs every tick
  const open = await ctx.db.task.aggregate({
    where: { runId, state: { notIn: [...TASK_FINAL] } },
    _count: { _all: true },
    _max: { cores: true },
  });
  const pilots = await loadPilots(ctx.db, { runId });
  let reason: string | null = null;
  if (open._count._all > 0) {
    reason = stuckReasonOf(pilots, { count: open._count._all, widest: open._max.cores ?? 0 }, queueBlocked);
    if (!reason) return;
    const remaining = await loadTasks(ctx.db, { runId, state: { in: ["NEW", "TMGR_SCHEDULING_PENDING"] } });
    const at = ctx.now();
    await ctx.db.$transaction(async (tx) => {
      for (const s of ["NEW", "TMGR_SCHEDULING_PENDING"] as const) {
        const ids = remaining.filter((t) => t.state === s).map((t) => t.id);
        await moveTasksBulk(tx, {
          runId,
          from: s,
          to: "CANCELED",
          at,
          ids,
          reason: `run stopped: ${reason}`,
          set: { reason: `run stopped: ${reason}` },
        });
      }
    });
  }
  for (const p of pilots.filter((x) => !isPilotFinal(x.state))) {
    await endPilot(
      ctx,
      p,
      p.state === "PMGR_ACTIVE" ? "DONE" : "CANCELED",
      "the run finished; pilot released",
      true,
    );
  }
  const counts = await ctx.db.task.groupBy({ by: ["state"], where: { runId }, _count: true });
  const failed = counts.find((c) => c.state === "FAILED")?._count ?? 0;
  const total = counts.reduce((a, c) => a + c._count, 0);
  const state = reason ? "FAILED" : failed > 0 ? "FAILED" : "DONE";
  const why = reason ?? (failed > 0 ? `${failed} of ${total} task(s) failed` : `all ${total} task(s) done`);
  const at = ctx.now();
  await ctx.db.$transaction((tx) =>
    moveRun(tx, {
      id: runId,
      runId,
      entityId: runId,
      from: "ACTIVE",
      to: state,
      at,
      reason: why,
      set: { stateReason: why, endedAt: at },
    }),
  );
  forgetRuntime(runId);
}

async function cancelRun(ctx: EngineContext, runId: string, pilots: PilotRow[]): Promise<void> {
  for (const p of pilots) await endPilot(ctx, p, "CANCELED", "the run was cancelled by the user", true);
  const at = ctx.now();
  const open = await loadTasks(ctx.db, { runId, state: { notIn: [...TASK_FINAL] } });
  await ctx.db.$transaction(async (tx) => {
    for (const s of new Set(open.map((t) => t.state))) {
      await moveTasksBulk(tx, {
        runId,
        from: s,
        to: "CANCELED",
        at,
        ids: open.filter((t) => t.state === s).map((t) => t.id),
        reason: "the run was cancelled by the user",
        set: { reason: "cancelled by the user" },
      });
    }
    const run = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { state: true } });
    if (run.state === "NEW" || run.state === "ACTIVE")
      await moveRun(tx, {
        id: runId,
        runId,
        entityId: runId,
        from: run.state,
        to: "CANCELED",
        at,
        reason: "cancelled by the user",
        set: { stateReason: "cancelled by the user", endedAt: at },
      });
  });
  forgetRuntime(runId);
  notifyRun(runId);
}
