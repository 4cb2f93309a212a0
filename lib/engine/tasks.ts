import path from "node:path";
import { moveTasksBulk, moveTasksThrough } from "../db/bulk-moves";
import { PILOT_LIVE } from "../states/pilot";
import { TASK_HOLDS_CORES } from "../states/task";
import type { EngineContext } from "./context";
import type { Db } from "../db/client";
import { loadPilot, loadTasks, type PilotRow, type TaskRow } from "./rows";
import type { AgentTask } from "../protocol/agent";
import { presentOn, requeue, type LiveRuntime, type RunRuntime } from "./runtime";
import { inputsToUpload } from "./staging";

/**
 * The task manager's I/O steps: hand bound tasks to their pilot (staging inputs first),
 * bring back the outputs of finished tasks, and record failures with their logs.
 * The decisions (which task goes where, what a dead pilot means for its tasks) are pure
 * functions the driver calls before these.
 */

export function agentTask(rt: RunRuntime, t: TaskRow): AgentTask {
  const s = rt.specs.get(t.taskId);
  if (!s) throw new Error(`task ${t.taskId} has no spec`);
  return {
    taskId: t.taskId,
    attempt: t.attempt,
    cores: s.cores,
    type: s.type,
    mode: s.mode,
    length: s.length,
    readBuffer: s.readBuffer,
    writeBuffer: s.writeBuffer,
    interleave: s.interleave,
    inputs: s.inputs.map((f) => f.path),
    outputs: s.outputs.map((f) => ({ path: f.path, size: f.size })),
  };
}

/** Binds `taskIds` to `pilot`, stages their inputs and drops them into the agent's inbox. */
export async function dispatch(
  ctx: EngineContext,
  rt: LiveRuntime,
  runDir: string,
  p: PilotRow,
  tasks: TaskRow[],
): Promise<void> {
  if (tasks.length === 0 || !p.sandbox) return;
  const at = ctx.now();
  const attemptOf = new Map(tasks.map((t) => [t.id, t.attempt]));
  const have = presentOn(rt, p.id);
  const uploads = new Set<string>();
  for (const t of tasks) {
    const spec = rt.specs.get(t.taskId);
    if (spec) for (const f of inputsToUpload(spec, have)) uploads.add(f.path);
  }
  // bound and staging in one write: nothing outside happens between the two states
  const bound = await ctx.db.$transaction((tx) =>
    moveTasksThrough(tx, {
      runId: p.runId,
      from: "TMGR_SCHEDULING_PENDING",
      via: [{ state: "TMGR_SCHEDULING", data: (id) => ({ pilotId: p.id, attempt: attemptOf.get(id) ?? 0 }) }],
      to: "TMGR_STAGING_INPUT",
      at,
      ids: tasks.map((t) => t.id),
      set: { pilotId: p.id },
      data: () => ({ pilotId: p.id, files: uploads.size }),
    }),
  );
  if (bound.length === 0) return;
  const boundIds = new Set(bound.map((b) => b.id));
  const mine = tasks.filter((t) => boundIds.has(t.id));
  const site = await ctx.site(p.resourceId, p.kind);
  try {
    await site.stageIn(p.sandbox, runDir, [...uploads]);
  } catch (e: unknown) {
    // Nothing reached the agent yet: the tasks go back to the wait queue (a dropped connection
    // or a full disk must not strand them in TMGR_STAGING_INPUT on a live pilot).
    requeue(rt);
    const reason = `staging inputs to ${p.label} failed: ${e instanceof Error ? e.message : String(e)}`;
    await ctx.db.$transaction((tx) =>
      moveTasksBulk(tx, {
        runId: p.runId,
        from: "TMGR_STAGING_INPUT",
        to: "TMGR_SCHEDULING_PENDING",
        at: ctx.now(),
        ids: mine.map((t) => t.id),
        reason,
        set: { pilotId: null },
        data: () => ({ fromPilotId: p.id }),
      }),
    );
    throw e;
  }
  for (const u of uploads) have.add(u);
  const seq = p.inboxSeq;
  await ctx.db.pilot.update({ where: { id: p.id }, data: { inboxSeq: seq + 1 } });
  p.inboxSeq = seq + 1;
  try {
    await site.submitTasks(
      p.sandbox,
      seq,
      mine.map((t) => agentTask(rt, { ...t, pilotId: p.id })),
    );
  } catch (e: unknown) {
    // The batch may or may not have reached the agent (the connection dropped while it was
    // written or renamed). Sending it to another pilot could run its tasks twice; dropping it
    // could lose them. They stay in TMGR_STAGING_INPUT, and the next ticks hand the same batch
    // over again (resendPending): the site finds it if the agent already has it.
    pendingOf(rt).set(`${p.id}:${seq}`, { pilotId: p.id, seq, ids: mine.map((t) => t.id) });
    throw e;
  }
  await ctx.db.$transaction((tx) =>
    moveTasksBulk(tx, {
      runId: p.runId,
      from: "TMGR_STAGING_INPUT",
      to: "AGENT_STAGING_INPUT",
      at: ctx.now(),
      ids: mine.map((t) => t.id),
      data: () => ({ pilotId: p.id }),
    }),
  );
}

/** A hand-over that failed ambiguously: batch `seq` of pilot `pilotId`, with these task rows. */
interface PendingHandOver {
  pilotId: string;
  seq: number;
  ids: string[];
}
const pending = new WeakMap<RunRuntime, Map<string, PendingHandOver>>();
function pendingOf(rt: RunRuntime): Map<string, PendingHandOver> {
  let m = pending.get(rt);
  if (!m) pending.set(rt, (m = new Map()));
  return m;
}

/**
 * Each tick: the hand-overs that failed ambiguously are made again, with the same batch number
 * and the same attempts, until one succeeds. The site does not write a batch the agent already
 * has (in its inbox, or claimed: remote.ts), and the agent ignores a task attempt it has seen,
 * so the tasks run once whether or not the first try arrived. A pilot that ended meanwhile
 * gives its tasks back through the driver (rebind or retry), as for any ended pilot.
 */
export async function resendPending(ctx: EngineContext, rt: RunRuntime): Promise<void> {
  const m = pending.get(rt);
  if (!m?.size) return;
  for (const [key, h] of m) {
    const p = await loadPilot(ctx.db, h.pilotId);
    const rows = await loadTasks(ctx.db, {
      id: { in: h.ids },
      pilotId: h.pilotId,
      state: "TMGR_STAGING_INPUT",
    });
    if (!p?.sandbox || !PILOT_LIVE.includes(p.state) || rows.length === 0) {
      m.delete(key);
      continue;
    }
    try {
      const site = await ctx.site(p.resourceId, p.kind);
      await site.submitTasks(
        p.sandbox,
        h.seq,
        rows.map((t) => agentTask(rt, t)),
      );
    } catch (e: unknown) {
      ctx.log(
        `handing batch ${h.seq} (${rows.length} task(s)) to ${p.label} again failed; trying next tick: ${e instanceof Error ? e.message : String(e)}`,
      );
      continue;
    }
    m.delete(key);
    await ctx.db.$transaction((tx) =>
      moveTasksBulk(tx, {
        runId: p.runId,
        from: "TMGR_STAGING_INPUT",
        to: "AGENT_STAGING_INPUT",
        at: ctx.now(),
        ids: rows.map((t) => t.id),
        data: () => ({ pilotId: p.id, handOverRepeated: true }),
      }),
    );
    ctx.log(`batch ${h.seq} (${rows.length} task(s)) handed to ${p.label} after an interrupted hand-over`);
  }
}

/**
 * After a restart: tasks whose hand-over to a live pilot was cut off at an unknown point (left in
 * TMGR_STAGING_INPUT; which batch they were in died with the old engine). Their inputs are staged
 * again and they are handed over again with the same attempt, in a new batch. If the first batch
 * did reach the agent, the agent ignores these copies (an id.attempt it has seen), so each task
 * runs once either way. Throws when staging or the new hand-over fails (the caller falls back).
 */
export async function handOverAgain(
  ctx: EngineContext,
  rt: RunRuntime,
  runDir: string,
  p: PilotRow,
  tasks: TaskRow[],
): Promise<void> {
  if (!p.sandbox || tasks.length === 0) return;
  const site = await ctx.site(p.resourceId, p.kind);
  const have = presentOn(rt, p.id);
  const uploads = new Set<string>();
  for (const t of tasks) {
    const spec = rt.specs.get(t.taskId);
    if (spec) for (const f of inputsToUpload(spec, have)) uploads.add(f.path);
  }
  await site.stageIn(p.sandbox, runDir, [...uploads]);
  for (const u of uploads) have.add(u);
  const row = await ctx.db.pilot.update({
    where: { id: p.id },
    data: { inboxSeq: { increment: 1 } },
    select: { inboxSeq: true },
  });
  const seq = row.inboxSeq - 1;
  try {
    await site.submitTasks(
      p.sandbox,
      seq,
      tasks.map((t) => agentTask(rt, t)),
    );
  } catch (e: unknown) {
    // ambiguous again: this engine keeps trying the same batch (resendPending)
    pendingOf(rt).set(`${p.id}:${seq}`, { pilotId: p.id, seq, ids: tasks.map((t) => t.id) });
    ctx.log(
      `handing ${tasks.length} task(s) to ${p.label} again after a restart failed; trying next tick: ${e instanceof Error ? e.message : String(e)}`,
    );
    return;
  }
  await ctx.db.$transaction((tx) =>
    moveTasksBulk(tx, {
      runId: p.runId,
      from: "TMGR_STAGING_INPUT",
      to: "AGENT_STAGING_INPUT",
      at: ctx.now(),
      ids: tasks.map((t) => t.id),
      data: () => ({ pilotId: p.id, handOverRepeated: true }),
    }),
  );
  ctx.log(`${tasks.length} task(s) handed to ${p.label} again after a restart (batch ${seq})`);
}

/** Outputs of tasks that exited 0 come back to the run directory; failures keep their logs. */
export async function collect(
  ctx: EngineContext,
  rt: RunRuntime,
  runDir: string,
  p: PilotRow,
  finished: TaskRow[],
): Promise<{ done: string[]; failed: string[] }> {
  if (finished.length === 0 || !p.sandbox) return { done: [], failed: [] };
  const site = await ctx.site(p.resourceId, p.kind);
  const ok = finished.filter((t) => t.exitCode === 0);
  const bad = finished.filter((t) => t.exitCode !== 0);
  // tasks with outputs to bring back pass TMGR_STAGING_OUTPUT while they are copied; those
  // without go through it in the same write as DONE (below)
  const copying: TaskRow[] = [];
  const direct: TaskRow[] = [];
  for (const t of ok) ((rt.specs.get(t.taskId)?.outputs.length ?? 0) > 0 ? copying : direct).push(t);
  const outs = copying.flatMap((t) => rt.specs.get(t.taskId)?.outputs.map((o) => o.path) ?? []);
  if (copying.length) {
    await ctx.db.$transaction((tx) =>
      moveTasksBulk(tx, {
        runId: p.runId,
        from: "AGENT_STAGING_OUTPUT",
        to: "TMGR_STAGING_OUTPUT",
        at: ctx.now(),
        ids: copying.map((t) => t.id),
        data: () => ({ pilotId: p.id }),
      }),
    );
    await site.stageOut(p.sandbox, runDir, outs);
    const have = presentOn(rt, p.id);
    for (const o of outs) have.add(o);
  }
  for (const t of bad)
    await site
      .fetchTaskLogs(p.sandbox, t.taskId, t.attempt, path.join(runDir, "tasks", `${t.taskId}.${t.attempt}`))
      .catch(() => undefined);
  const at = ctx.now();
  const exitOf = new Map(bad.map((t) => [t.id, t.exitCode]));
  const [copied, done, failed] = await ctx.db.$transaction(async (tx) => [
    await moveTasksBulk(tx, {
      runId: p.runId,
      from: "TMGR_STAGING_OUTPUT",
      to: "DONE",
      at,
      ids: copying.map((t) => t.id),
      data: () => ({ pilotId: p.id }),
    }),
    await moveTasksThrough(tx, {
      runId: p.runId,
      from: "AGENT_STAGING_OUTPUT",
      via: [{ state: "TMGR_STAGING_OUTPUT", data: () => ({ pilotId: p.id }) }],
      to: "DONE",
      at,
      ids: direct.map((t) => t.id),
      data: () => ({ pilotId: p.id }),
    }),
    await moveTasksBulk(tx, {
      runId: p.runId,
      from: "AGENT_STAGING_OUTPUT",
      to: "FAILED",
      at,
      ids: bad.map((t) => t.id),
      reason: "the task exited with a non-zero code",
      set: { reason: "the task exited with a non-zero code" },
      data: (id) => ({ pilotId: p.id, exitCode: exitOf.get(id) ?? null }),
    }),
  ]);
  return { done: [...copied, ...done].map((d) => d.taskId), failed: failed.map((d) => d.taskId) };
}

/** Cores held on each pilot by tasks bound to it and not yet finished (one indexed query). */
export async function busyCores(db: Db, runId: string): Promise<Map<string, number>> {
  const rows = await db.task.groupBy({
    by: ["pilotId"],
    where: { runId, state: { in: [...TASK_HOLDS_CORES] }, pilotId: { not: null } },
    _sum: { cores: true },
  });
  const busy = new Map<string, number>();
  for (const r of rows) if (r.pilotId) busy.set(r.pilotId, r._sum.cores ?? 0);
  return busy;
}
