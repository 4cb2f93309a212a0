import { type AgentEvent, parseEventLog as parseLog } from "./events";
import { renderInboxBatch as renderBatch, type TInboxTaskInput } from "./inbox";

/**
 * The engine's view of the protocol (AgentTask in, AgentFact out), kept so the engine runs
 * unchanged on the v1 agent. The modules beside this one expose every event kind; this
 * adapter drops what AgentFact cannot say yet.
 */
export { renderAgentConf } from "./agent-conf";

/** A facts-only report from the agent's event log, as the engine reads it. */
export type AgentFact =
  | { kind: "agent_active"; at: number; cores: number; nodes: string[] }
  | { kind: "task_executing"; at: number; taskId: string; attempt: number; slots: number[] }
  | { kind: "task_done"; at: number; taskId: string; attempt: number; exitCode: number }
  /** the agent gave up on a task without an exit status while the pilot lives (lib/engine/facts.ts) */
  | { kind: "task_given_up"; at: number; taskId: string; attempt: number; reason: string; detail: string }
  | { kind: "agent_exit"; at: number; reason: string }
  | { kind: "agent_draining"; at: number; reason: string };

/** One task as the agent runs it: the synthetic skeleton task, by its files and parameters. */
export interface AgentTask {
  taskId: string;
  attempt: number;
  cores: number;
  type: string;
  mode: string;
  length: number;
  readBuffer: number;
  writeBuffer: number;
  interleave: number;
  /** paths relative to the sandbox's data directory */
  inputs: string[];
  outputs: { path: string; size: number }[];
}

/** The engine stages files into the sandbox's `data/`, so its tasks run there and name files relative to it. */
export const ENGINE_WORKDIR = "data";

export function toInboxTask(t: AgentTask): TInboxTaskInput {
  return {
    kind: "synthetic",
    taskId: t.taskId,
    attempt: t.attempt,
    cores: t.cores,
    workdir: ENGINE_WORKDIR,
    type: t.type,
    mode: t.mode as "time" | "flops",
    length: t.length,
    readBuffer: t.readBuffer,
    writeBuffer: t.writeBuffer,
    interleave: t.interleave,
    inputs: t.inputs,
    outputs: t.outputs,
  };
}

/** Throws on a task the agent could misread: the engine's tasks come from a validated workload. */
export function renderInboxBatch(tasks: AgentTask[]): string {
  const r = renderBatch(tasks.map(toInboxTask));
  if (!r.ok)
    throw new Error(
      `cannot hand tasks to the agent: ${r.errors
        .slice(0, 5)
        .map((e) => `${e.taskId ?? `#${e.index}`}: ${e.message}`)
        .join("; ")}`,
    );
  return r.text;
}

/**
 * A task the agent killed after it started (cancel) or could not start in its directory still
 * has an exit status, and the engine moves a task on only through task_done; failures before
 * the start, and kills at the pilot's end (which the engine handles when it sees the pilot go),
 * become log lines.
 */
export function toFact(e: AgentEvent): AgentFact | string | null {
  switch (e.kind) {
    case "agent_active":
      return { kind: e.kind, at: e.at, cores: e.cores, nodes: e.nodes };
    case "task_executing":
      return { kind: e.kind, at: e.at, taskId: e.taskId, attempt: e.attempt, slots: e.slots };
    case "task_done":
      return { kind: e.kind, at: e.at, taskId: e.taskId, attempt: e.attempt, exitCode: e.exitCode };
    case "agent_draining":
    case "agent_exit":
      return { kind: e.kind, at: e.at, reason: `${e.reason}: ${e.detail}` };
    case "task_failed":
      if ((e.reason === "cancelled" || e.reason === "launch_error") && e.exitStatus !== null)
        return { kind: "task_done", at: e.at, taskId: e.taskId, attempt: e.attempt, exitCode: e.exitStatus };
      return `task ${e.taskId} attempt ${e.attempt} failed on the agent (${e.reason}): ${e.detail}`;
    case "inbox_error":
      return `the agent rejected line ${e.line} of ${e.batch}: ${e.detail}`;
    case "task_received":
    case "batch_read":
      return null;
  }
}

export function parseEventLog(
  chunk: Uint8Array | string,
  startOffset: number,
): { facts: AgentFact[]; nextOffset: number; problems: string[] } {
  const r = parseLog(chunk, startOffset);
  const facts: AgentFact[] = [];
  const problems = r.problems.map(
    (p) => `agent log at byte ${p.offset}: ${p.message}: ${JSON.stringify(p.line.slice(0, 200))}`,
  );
  for (const e of r.events) {
    const f = toFact(e);
    if (typeof f === "string") problems.push(f);
    else if (f) facts.push(f);
  }
  return { facts, nextOffset: r.nextOffset, problems };
}
