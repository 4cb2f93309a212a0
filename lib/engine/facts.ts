import { toFact, type AgentFact } from "../protocol/agent";
import { parseEventLog as parseLog, type AgentEventOf } from "../protocol/events";

/**
 * The agent's event log as engine facts. The protocol adapter (lib/protocol/agent.ts) turns a
 * `task_failed` without an exit status into a log line, which is right for the reasons that only
 * happen while the pilot ends (drained, signal, walltime: the engine handles those tasks when it
 * sees the pilot go). But the agent also gives up on a task while the pilot lives on: `lost` (its
 * process vanished unseen), `launch_error` with no status, `too_wide`, `bad_record`. No
 * `task_done` follows those, so a task left bound would hold its cores until the pilot's
 * walltime and the run would hang; they become `task_given_up` facts instead.
 */
const GIVEN_UP: readonly string[] = ["lost", "launch_error", "too_wide", "bad_record"];

function givenUp(e: AgentEventOf<"task_failed">): AgentFact | null {
  if (!GIVEN_UP.includes(e.reason) || e.exitStatus !== null) return null;
  return {
    kind: "task_given_up",
    at: e.at,
    taskId: e.taskId,
    attempt: e.attempt,
    reason: e.reason,
    detail: e.detail,
  };
}

/**
 * How long before the agent's own signal a task's death by a signal is taken for the same event.
 * A batch system's cancel (scancel, qdel) signals every process of the job at once; the agent
 * reports a task that died of it before the agent's trap ran as `task_failed signal`, but one
 * whose exit its loop had already read comes out as `task_done` with 128 + the signal.
 */
const SIGNAL_WINDOW_MS = 5_000;

/**
 * Drops a `task_done` with a signal's exit status (≥ 128) that came within SIGNAL_WINDOW_MS
 * before the agent drained for a signal in the same read: the task died with its pilot, so it is
 * handled with the pilot (run again elsewhere), not failed as a task that exits non-zero.
 */
function killedWithPilot(facts: AgentFact[], problems: string[]): AgentFact[] {
  // (a stop fact's reason is "<stop reason>: <detail>")
  const drain = facts.find((f) => f.kind === "agent_draining" && f.reason.startsWith("signal:"));
  if (!drain) return facts;
  return facts.filter((f) => {
    if (f.kind !== "task_done" || f.exitCode < 128 || f.at > drain.at || f.at < drain.at - SIGNAL_WINDOW_MS)
      return true;
    problems.push(
      `task ${f.taskId} attempt ${f.attempt} ended by a signal (exit ${f.exitCode}) as the agent got its own: handled with the pilot`,
    );
    return false;
  });
}

export function parseAgentFacts(
  chunk: Uint8Array | string,
  startOffset: number,
): { facts: AgentFact[]; nextOffset: number; problems: string[] } {
  const r = parseLog(chunk, startOffset);
  const facts: AgentFact[] = [];
  const problems = r.problems.map(
    (p) => `agent log at byte ${p.offset}: ${p.message}: ${JSON.stringify(p.line.slice(0, 200))}`,
  );
  for (const e of r.events) {
    const g = e.kind === "task_failed" ? givenUp(e) : null;
    const f = g ?? toFact(e);
    if (typeof f === "string") problems.push(f);
    else if (f) facts.push(f);
  }
  return { facts: killedWithPilot(facts, problems), nextOffset: r.nextOffset, problems };
}
