import type { PilotRow, TaskRow } from "../engine/context";
import type { RunRuntime } from "../engine/runtime";
import type { Workload } from "../model/workload";
import type { SimPilot } from "./types";

/**
 * The engine's decisions (lib/engine/decide.ts) work on database rows. The simulator keeps its
 * state in the same shapes, so it calls those functions as they are: no second copy of the
 * binding, readiness or pilot-end policy.
 */
export function taskRows(w: Workload): TaskRow[] {
  return w.tasks.map((t) => ({
    id: t.id,
    taskId: t.id,
    stage: t.stage,
    stageIndex: t.stageIndex,
    cores: t.cores,
    length: t.length,
    state: "TMGR_SCHEDULING_PENDING",
    pilotId: null,
    attempt: 0,
    exitCode: null,
  }));
}

export function pilotRow(p: SimPilot, index: number, runId: string): PilotRow {
  return {
    id: p.id,
    runId,
    index,
    resourceId: null,
    label: p.label,
    kind: "sim",
    queue: p.queue,
    project: null,
    cores: p.cores,
    nodes: 1,
    walltimeMinutes: p.walltimeS / 60,
    state: "PMGR_LAUNCHING",
    reason: null,
    jobId: null,
    sandbox: null,
    logOffset: 0,
    inboxSeq: 0,
    activeAt: null,
    submittedAt: null,
    cancelRequestedAt: null,
  };
}

/** Only `specs` is read by `readiness`; the rest is what a run the engine adopts would hold. */
export function runtimeOf(w: Workload, runId: string): RunRuntime {
  const consumers = new Map<string, string[]>();
  for (const t of w.tasks) for (const d of t.dependsOn) consumers.set(d, [...(consumers.get(d) ?? []), t.id]);
  return {
    runId,
    specs: new Map(w.tasks.map((t) => [t.id, t])),
    dbIdOf: new Map(),
    taskIdOf: new Map(),
    consumers,
    present: new Map(),
    lastPoll: new Map(),
  };
}

/** The engine's wait-queue order (bindLate sorts by it): stage, then task id numerically. */
export function queueOrder(rows: readonly TaskRow[]): Map<string, number> {
  const sorted = [...rows].sort(
    (a, b) => a.stageIndex - b.stageIndex || a.taskId.localeCompare(b.taskId, "en", { numeric: true }),
  );
  return new Map(sorted.map((t, i) => [t.id, i]));
}
