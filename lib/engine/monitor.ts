import { moveTasksBulk, moveTasksThrough } from "../db/bulk-moves";
import type { Tx } from "../db/events";
import { movePilot } from "../db/state-writes";
import type { TaskState } from "../states/task";
import type { EngineContext } from "./context";
import { loadTasksIn, taskState, type PilotRow, type TaskRow } from "./rows";
import { noteFinished } from "./prefetch";
import { onTaskGivenUp } from "./decide";
import type { AgentFact } from "../protocol/agent";
import { requeue, type LiveRuntime } from "./runtime";

/**
 * Reads what a pilot's agent wrote since the last read and turns the facts into state
 * changes. Facts about an older attempt of a task (its pilot was given up on, but the agent
 * ran it anyway) are ignored: the task's current attempt decides.
 */
export async function readPilotFacts(
  ctx: EngineContext,
  rt: LiveRuntime,
  p: PilotRow,
  maxRetries: number,
): Promise<{ exited: AgentFact | null }> {
  if (!p.sandbox) return { exited: null };
  const site = await ctx.site(p.resourceId, p.kind);
  const { facts, nextOffset, problems } = await site.readFacts(p.sandbox, p.logOffset);
  for (const pr of problems) ctx.log(`pilot ${p.label}: ${pr}`);
  if (facts.length === 0 && nextOffset === p.logOffset) return { exited: null };
  const tasks = await factTasks(ctx, p.runId, facts);

  const executing: { id: string; f: Extract<AgentFact, { kind: "task_executing" }> }[] = [];
  const done: { id: string; f: Extract<AgentFact, { kind: "task_done" }> }[] = [];
  const givenUp: { id: string; f: Extract<AgentFact, { kind: "task_given_up" }> }[] = [];
  let active: Extract<AgentFact, { kind: "agent_active" }> | null = null;
  let exited: AgentFact | null = null;
  for (const f of facts) {
    if (f.kind === "agent_active") active = f;
    else if (f.kind === "agent_exit") exited = f;
    else if (f.kind === "task_executing" || f.kind === "task_done" || f.kind === "task_given_up") {
      const t = tasks.get(f.taskId);
      if (!t || t.pilotId !== p.id || t.attempt !== f.attempt) continue;
      if (f.kind === "task_executing") executing.push({ id: t.id, f });
      else if (f.kind === "task_done") done.push({ id: t.id, f });
      else givenUp.push({ id: t.id, f });
    }
  }
  noteFinished(rt.rates, p.id, done.length + givenUp.length, ctx.now().getTime());
  if (givenUp.length) requeue(rt);
  const at = (ms: number) => new Date(ms);
  await ctx.db.$transaction(async (tx) => {
    if (active && p.state === "PMGR_ACTIVE_PENDING") {
      await movePilot(tx, {
        id: p.id,
        runId: p.runId,
        entityId: p.id,
        from: p.state,
        to: "PMGR_ACTIVE",
        at: at(active.at),
        set: { activeAt: at(active.at) },
        data: { cores: active.cores, nodes: active.nodes.length, hosts: active.nodes },
      });
    }
    // bulk moves (three statements each, whatever the count); every event keeps its fact's time.
    // A task whose start and end are both in this read goes through AGENT_EXECUTING in one write.
    const exec = new Map(executing.map((e) => [e.id, e.f]));
    const execData = (id: string) => {
      const f = exec.get(id)!;
      return { pilotId: p.id, attempt: f.attempt, slots: f.slots, stage: rt.specs.get(f.taskId)?.stage };
    };
    const fin = new Map(done.map((d) => [d.id, d.f]));
    await moveTasksBulk(tx, {
      runId: p.runId,
      from: "AGENT_STAGING_INPUT",
      to: "AGENT_EXECUTING",
      at: ctx.now(),
      ids: [...exec.keys()].filter((id) => !fin.has(id)),
      atFor: (id) => at(exec.get(id)!.at),
      data: execData,
    });
    const byCode = new Map<number, string[]>();
    for (const d of done) {
      const ids = byCode.get(d.f.exitCode);
      if (ids) ids.push(d.id);
      else byCode.set(d.f.exitCode, [d.id]);
    }
    const doneData = (id: string) => ({
      pilotId: p.id,
      attempt: fin.get(id)!.attempt,
      exitCode: fin.get(id)!.exitCode,
    });
    for (const [exitCode, ids] of byCode) {
      await moveTasksThrough(tx, {
        runId: p.runId,
        from: "AGENT_STAGING_INPUT",
        via: [{ state: "AGENT_EXECUTING", atFor: (id) => at(exec.get(id)!.at), data: execData }],
        to: "AGENT_STAGING_OUTPUT",
        at: ctx.now(),
        ids: ids.filter((id) => exec.has(id)),
        atFor: (id) => at(fin.get(id)!.at),
        set: { exitCode },
        data: doneData,
      });
      await moveTasksBulk(tx, {
        runId: p.runId,
        from: "AGENT_EXECUTING",
        to: "AGENT_STAGING_OUTPUT",
        at: ctx.now(),
        ids: ids.filter((id) => !exec.has(id)),
        atFor: (id) => at(fin.get(id)!.at),
        set: { exitCode },
        data: doneData,
      });
    }
    for (const g of givenUp) await giveUp(tx, p, g.id, g.f, maxRetries, at(g.f.at));
    await tx.pilot.update({
      where: { id: p.id },
      data: {
        logOffset: nextOffset,
        ...(facts.length ? { lastHeartbeat: at(facts[facts.length - 1]!.at) } : {}),
      },
    });
  });
  return { exited };
}

/** The rows of the tasks `facts` name (only those: a tick must not read the whole run). */
async function factTasks(
  ctx: EngineContext,
  runId: string,
  facts: AgentFact[],
): Promise<Map<string, TaskRow>> {
  const names: string[] = [];
  for (const f of facts)
    if (f.kind === "task_executing" || f.kind === "task_done" || f.kind === "task_given_up")
      names.push(f.taskId);
  return new Map((await loadTasksIn(ctx.db, runId, "taskId", names)).map((t) => [t.taskId, t]));
}

const AGENT_HELD: readonly TaskState[] = ["AGENT_STAGING_INPUT", "AGENT_SCHEDULING", "AGENT_EXECUTING"];

/** A task the agent gave up on (no task_done will come): retried or FAILED (decide.ts), never left bound. */
async function giveUp(
  tx: Tx,
  p: PilotRow,
  id: string,
  f: Extract<AgentFact, { kind: "task_given_up" }>,
  maxRetries: number,
  at: Date,
): Promise<void> {
  // the row as it is now: the same batch of facts may have moved it (e.g. to AGENT_EXECUTING)
  const t = await tx.task.findUnique({
    where: { id },
    select: { state: true, attempt: true, pilotId: true },
  });
  if (!t || t.pilotId !== p.id || t.attempt !== f.attempt) return;
  const from = taskState(t.state, id);
  if (!AGENT_HELD.includes(from)) return;
  const v = onTaskGivenUp(p, t, f.reason, f.detail, maxRetries);
  if (v.action === "fail") {
    await moveTasksBulk(tx, {
      runId: p.runId,
      from,
      to: "FAILED",
      at,
      ids: [id],
      reason: v.reason,
      set: { reason: v.reason },
      data: () => ({ pilotId: p.id, attempt: t.attempt, agentReason: f.reason }),
    });
  } else {
    const attempt = t.attempt + 1;
    await moveTasksBulk(tx, {
      runId: p.runId,
      from,
      to: "TMGR_SCHEDULING_PENDING",
      at,
      ids: [id],
      reason: v.reason,
      set: { pilotId: null, attempt },
      data: () => ({ fromPilotId: p.id, attempt, agentReason: f.reason }),
    });
  }
}
