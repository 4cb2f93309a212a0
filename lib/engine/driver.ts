import { mkdir } from "node:fs/promises";
import path from "node:path";
import { moveTasksBulk } from "../db/bulk-moves";
import { moveRun } from "../db/state-writes";
import { notifyRun } from "./bus";
import { PILOT_SELECT, TASK_SELECT, type EngineContext, type PilotRow, type TaskRow } from "./context";
import { agentExitState, bindLate, onPilotEnded, readiness, SIGNAL_EXITS, stuckReason } from "./decide";
import { checkHeartbeat, endPilot, launchPilot, pollPilot } from "./pilots";
import { readPilotFacts } from "./monitor";
import { noteJobStatus, queueBlocks } from "./queue-block";
import { recoverInterrupted } from "./recover";
import { forgetRuntime, runtimeFor } from "./runtime";
import { surplusCount, surplusToCancel } from "./surplus";
import { createInitialInputs } from "./run-dir";
import { busyCores, collect, dispatch } from "./tasks";

const LIVE = ["PMGR_ACTIVE_PENDING", "PMGR_ACTIVE"];
/** extra tasks a pilot may hold beyond its cores, as a share of its cores (EMANAGER_PREFETCH, default 0.5) */
const PREFETCH = Math.max(0, Number(process.env.EMANAGER_PREFETCH ?? 0.5));
/** the engine's tick interval in seconds (what prefetch has to cover) */
const TICK_S = Number(process.env.EMANAGER_ENGINE_INTERVAL_MS ?? 500) / 1000;
const FINAL = ["DONE", "FAILED", "CANCELED"];

/**
 * One engine step for one run: start it, launch its pilots, read what their agents wrote,
 * handle ended pilots, collect finished tasks, bind ready tasks, and finish the run when
 * nothing is left (or say why it cannot finish). Every step is idempotent, so a tick that
 * dies half-way (or a server killed mid-tick) is simply repeated by the next one.
 */
export async function driveRun(ctx: EngineContext, runId: string): Promise<void> {
  const run = await ctx.db.run.findUnique({ where: { id: runId }, select: { id: true, state: true, dir: true, maxRetries: true, cancelRequestedAt: true, userId: true, plan: true } });
  if (!run || FINAL.includes(run.state) || !run.dir) return;
  const runDir = run.dir;
  const rt = await runtimeFor(ctx.db, runId);

  if (run.state === "NEW") {
    await mkdir(runDir, { recursive: true });
    await createInitialInputs(runDir, [...rt.specs.values()]);
    const now = ctx.now();
    await ctx.db.$transaction(async (tx) => {
      if (!(await moveRun(tx, { id: runId, runId, entityId: runId, from: "NEW", to: "ACTIVE", at: now, set: { startedAt: now } }))) return;
      const ids = (await tx.task.findMany({ where: { runId, state: "NEW" }, select: { id: true } })).map((t) => t.id);
      await moveTasksBulk(tx, { runId, from: "NEW", to: "TMGR_SCHEDULING_PENDING", at: now, ids, data: () => ({ attempt: 0 }) });
    });
  }

  await recoverInterrupted(ctx, rt, runId, runDir);
  let pilots = (await ctx.db.pilot.findMany({ where: { runId }, select: PILOT_SELECT, orderBy: { index: "asc" } })) as PilotRow[];
  if (run.cancelRequestedAt) return cancelRun(ctx, runId, pilots);

  const envByResource = new Map<string, string>();
  for (const p of pilots.filter((x) => x.state === "NEW")) {
    if (p.resourceId && !envByResource.has(p.resourceId)) {
      const r = await ctx.db.resource.findUnique({ where: { id: p.resourceId }, select: { envSetup: true } });
      envByResource.set(p.resourceId, r?.envSetup ?? "");
    }
    await launchPilot(ctx, p, p.resourceId ? (envByResource.get(p.resourceId) ?? null) : null);
  }

  let tasks = (await ctx.db.task.findMany({ where: { runId }, select: TASK_SELECT })) as TaskRow[];
  let byTaskId = new Map(tasks.map((t) => [t.taskId, t]));
  pilots = (await ctx.db.pilot.findMany({ where: { runId }, select: PILOT_SELECT, orderBy: { index: "asc" } })) as PilotRow[];

  for (const p of pilots.filter((x) => LIVE.includes(x.state))) {
    try {
      if (p.cancelRequestedAt) {
        await endPilot(ctx, p, "CANCELED", "cancelled by the user", true);
        continue;
      }
      const { exited } = await readPilotFacts(ctx, rt, p, byTaskId, run.maxRetries);
      if (exited?.kind === "agent_exit") {
        await endPilot(ctx, { ...p, state: (await ctx.db.pilot.findUniqueOrThrow({ where: { id: p.id }, select: { state: true } })).state }, agentExitState(exited.reason), `agent exited: ${exited.reason}`, false);
        continue;
      }
      const last = rt.lastPoll.get(p.id) ?? 0;
      if (Date.now() - last > ctx.pollIntervalS * 1000) {
        rt.lastPoll.set(p.id, Date.now());
        noteJobStatus(rt, p.id, await pollPilot(ctx, p));
      }
      await checkHeartbeat(ctx, p);
    } catch (e: unknown) {
      // a dropped connection or a slow login node: log and try again next tick, the run goes on
      ctx.log(`pilot ${p.label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  pilots = (await ctx.db.pilot.findMany({ where: { runId }, select: PILOT_SELECT, orderBy: { index: "asc" } })) as PilotRow[];
  const surplus = surplusToCancel(pilots, surplusCount(run.plan));
  for (const id of surplus.ids) await endPilot(ctx, pilots.find((p) => p.id === id)!, "CANCELED", surplus.reason, true);
  if (surplus.ids.length) pilots = (await ctx.db.pilot.findMany({ where: { runId }, select: PILOT_SELECT, orderBy: { index: "asc" } })) as PilotRow[];
  tasks = (await ctx.db.task.findMany({ where: { runId }, select: TASK_SELECT })) as TaskRow[];

  // tasks held by pilots that ended go back to the queue, are retried, or fail (before collecting,
  // so that a task killed along with its pilot is retried rather than failed)
  await releaseFromEndedPilots(ctx, runId, pilots, run.maxRetries);
  tasks = (await ctx.db.task.findMany({ where: { runId }, select: TASK_SELECT })) as TaskRow[];

  // finished tasks on any pilot (a pilot that just ended may still hold outputs in its sandbox)
  for (const p of pilots) {
    const finished = tasks.filter((t) => t.pilotId === p.id && t.state === "AGENT_STAGING_OUTPUT");
    if (finished.length === 0) continue;
    try {
      await collect(ctx, rt, runDir, p, finished);
    } catch (e: unknown) {
      ctx.log(`collecting outputs from ${p.label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  tasks = (await ctx.db.task.findMany({ where: { runId }, select: TASK_SELECT })) as TaskRow[];
  byTaskId = new Map(tasks.map((t) => [t.taskId, t]));
  const waiting = tasks.filter((t) => t.state === "TMGR_SCHEDULING_PENDING");
  const { ready, blocked } = readiness(rt, waiting, byTaskId);
  if (blocked.length) {
    const at = ctx.now();
    await ctx.db.$transaction(async (tx) => {
      for (const b of blocked) {
        const reason = `its input comes from ${b.by}, which ${byTaskId.get(b.by)?.state ?? "did not finish"}`;
        await moveTasksBulk(tx, { runId, from: "TMGR_SCHEDULING_PENDING", to: "FAILED", at, ids: [b.task.id], reason, set: { reason } });
      }
    });
  }
  const busy = busyCores(tasks);
  // prefetch: a pilot may hold more tasks than it has cores, queued in its agent, so it does not
  // idle between two engine ticks: enough to cover one tick of the ready tasks' mean length,
  // at least PREFETCH × cores, at most 32 × cores. Long tasks get a small margin (pilots that
  // start later still get work); very short tasks get batches (throughput).
  const meanLen = ready.length ? ready.reduce((a, t) => a + t.length, 0) / ready.length : 1;
  const prefetch = (p: PilotRow) => Math.min(32 * p.cores, Math.max(Math.ceil(p.cores * PREFETCH), Math.ceil((p.cores * TICK_S) / Math.max(meanLen, 0.01))));
  const caps = pilots.filter((p) => p.state === "PMGR_ACTIVE" && !p.cancelRequestedAt).map((p) => ({ pilot: p, free: p.cores + prefetch(p) - (busy.get(p.id) ?? 0) }));
  for (const [pilotId, list] of bindLate(ready, caps)) {
    const p = pilots.find((x) => x.id === pilotId)!;
    try {
      await dispatch(ctx, rt, runDir, p, list);
    } catch (e: unknown) {
      ctx.log(`dispatching ${list.length} task(s) to ${p.label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  await finishIfDone(ctx, runId, queueBlocks(rt));
  notifyRun(runId);
}

async function releaseFromEndedPilots(ctx: EngineContext, runId: string, pilots: PilotRow[], maxRetries: number): Promise<void> {
  const ended = pilots.filter((p) => FINAL.includes(p.state));
  if (ended.length === 0) return;
  const failed = ended.filter((p) => p.state !== "DONE").map((p) => p.id);
  const held = (await ctx.db.task.findMany({
    where: {
      runId,
      OR: [
        { pilotId: { in: ended.map((p) => p.id) }, state: { in: ["TMGR_SCHEDULING", "TMGR_STAGING_INPUT", "AGENT_STAGING_INPUT", "AGENT_SCHEDULING", "AGENT_EXECUTING"] } },
        { pilotId: { in: failed }, state: "AGENT_STAGING_OUTPUT", exitCode: { in: [...SIGNAL_EXITS] } },
      ],
    },
    select: TASK_SELECT,
  })) as TaskRow[];
  if (held.length === 0) return;
  const at = ctx.now();
  await ctx.db.$transaction(async (tx) => {
    for (const p of ended) {
      for (const v of onPilotEnded(p, held.filter((t) => t.pilotId === p.id), maxRetries)) {
        const from = v.task.state as "TMGR_SCHEDULING";
        if (v.action === "fail") {
          await moveTasksBulk(tx, { runId, from, to: "FAILED", at, ids: [v.task.id], reason: v.reason, set: { reason: v.reason }, data: () => ({ pilotId: p.id, attempt: v.task.attempt }) });
        } else {
          const attempt = v.action === "retry" ? v.task.attempt + 1 : v.task.attempt;
          await moveTasksBulk(tx, { runId, from, to: "TMGR_SCHEDULING_PENDING", at, ids: [v.task.id], reason: v.reason, set: { pilotId: null, attempt }, data: () => ({ fromPilotId: p.id, attempt }) });
        }
      }
    }
  });
}

async function finishIfDone(ctx: EngineContext, runId: string, queueBlocked: ReadonlyMap<string, string>): Promise<void> {
  const counts = await ctx.db.task.groupBy({ by: ["state"], where: { runId }, _count: true });
  const n = (s: string) => counts.find((c) => c.state === s)?._count ?? 0;
  const total = counts.reduce((a, c) => a + c._count, 0);
  const finals = n("DONE") + n("FAILED") + n("CANCELED");
  const pilots = (await ctx.db.pilot.findMany({ where: { runId }, select: PILOT_SELECT })) as PilotRow[];
  let reason: string | null = null;
  if (finals < total) {
    const remaining = (await ctx.db.task.findMany({ where: { runId, state: { notIn: FINAL } }, select: TASK_SELECT })) as TaskRow[];
    reason = stuckReason(pilots, remaining, queueBlocked);
    if (!reason) return;
    const at = ctx.now();
    await ctx.db.$transaction(async (tx) => {
      for (const s of ["NEW", "TMGR_SCHEDULING_PENDING"] as const) {
        const ids = remaining.filter((t) => t.state === s).map((t) => t.id);
        await moveTasksBulk(tx, { runId, from: s, to: "CANCELED", at, ids, reason: `run stopped: ${reason}`, set: { reason: `run stopped: ${reason}` } });
      }
    });
  }
  for (const p of pilots.filter((x) => !FINAL.includes(x.state))) {
    await endPilot(ctx, p, p.state === "PMGR_ACTIVE" ? "DONE" : "CANCELED", "the run finished; pilot released", true);
  }
  const failed = n("FAILED");
  const state = reason ? "FAILED" : failed > 0 ? "FAILED" : "DONE";
  const why = reason ?? (failed > 0 ? `${failed} of ${total} task(s) failed` : `all ${total} task(s) done`);
  const at = ctx.now();
  await ctx.db.$transaction((tx) => moveRun(tx, { id: runId, runId, entityId: runId, from: "ACTIVE", to: state, at, reason: why, set: { stateReason: why, endedAt: at } }));
  forgetRuntime(runId);
}

async function cancelRun(ctx: EngineContext, runId: string, pilots: PilotRow[]): Promise<void> {
  for (const p of pilots) await endPilot(ctx, p, "CANCELED", "the run was cancelled by the user", true);
  const at = ctx.now();
  const open = await ctx.db.task.findMany({ where: { runId, state: { notIn: FINAL } }, select: { id: true, state: true } });
  await ctx.db.$transaction(async (tx) => {
    for (const s of new Set(open.map((t) => t.state))) {
      await moveTasksBulk(tx, { runId, from: s as "NEW", to: "CANCELED", at, ids: open.filter((t) => t.state === s).map((t) => t.id), reason: "the run was cancelled by the user", set: { reason: "cancelled by the user" } });
    }
    const run = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { state: true } });
    if (run.state === "NEW" || run.state === "ACTIVE") await moveRun(tx, { id: runId, runId, entityId: runId, from: run.state, to: "CANCELED", at, reason: "cancelled by the user", set: { stateReason: "cancelled by the user", endedAt: at } });
  });
  forgetRuntime(runId);
  notifyRun(runId);
}

export function runDirFor(base: string, runId: string): string {
  return path.join(base, runId);
}
