import type { RunEvent } from "../../lib/model/event";

/**
 * A finished run's event log as the engine writes it (lib/engine/tasks.ts, monitor.ts,
 * driver.ts, lib/db/runs.ts): the same states, in the same order, with the same `data` facts.
 * Pilots of different widths become active at different times; tasks go to whichever core slot
 * frees first (late binding), through every hand-over state, with a few tasks exiting non-zero.
 * Deterministic, so the benches compare the same run every time.
 */
export interface RunLogShape {
  tasks: number;
  /** cores of each pilot */
  pilots: readonly number[];
}

export const BIG_RUN: RunLogShape = {
  tasks: 100_000,
  pilots: [64, 64, 48, 32, 32, 32, 24, 16, 16, 16, 8, 8],
};

/** A small deterministic generator (mulberry32): the same log on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Earliest-free slot first: a binary min-heap of [free at, pilot, slot]. */
class Slots {
  private h: [number, number, number][] = [];
  push(x: [number, number, number]): void {
    const h = this.h;
    h.push(x);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (h[p]![0] <= h[i]![0]) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): [number, number, number] {
    const h = this.h;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]![0] < h[m]![0]) m = l;
        if (r < h.length && h[r]![0] < h[m]![0]) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

export function runLog(shape: RunLogShape = BIG_RUN, runId = "r"): RunEvent[] {
  const rnd = random(42);
  const T = 1_700_000_000_000;
  const ev: RunEvent[] = [];
  const push = (
    entity: RunEvent["entity"],
    entityId: string,
    from: string | null,
    to: string,
    at: number,
    data: Record<string, unknown> | null = null,
    reason: string | null = null,
  ) => ev.push({ seq: 0, runId, entity, entityId, from, to, at: Math.round(at), reason, data });
  push("run", runId, null, "NEW", T);
  const pilotIds = shape.pilots.map((_, i) => `pilot${String(i).padStart(2, "0")}`);
  const slots = new Slots();
  shape.pilots.forEach((cores, i) => {
    const id = pilotIds[i]!;
    push("pilot", id, null, "NEW", T, {
      label: "local",
      resource: "res-local",
      queue: null,
      cores,
      nodes: 1,
      walltimeMinutes: 60,
      surplus: false,
    });
    push("pilot", id, "NEW", "PMGR_LAUNCHING", T + 600 + i * 40);
    push("pilot", id, "PMGR_LAUNCHING", "PMGR_ACTIVE_PENDING", T + 900 + i * 60, { jobId: String(1000 + i) });
    const active = T + 4_000 + i * 3_500 + rnd() * 2_000;
    push("pilot", id, "PMGR_ACTIVE_PENDING", "PMGR_ACTIVE", active, {
      cores,
      nodes: 1,
      hosts: ["localhost"],
    });
    for (let s = 0; s < cores; s++) slots.push([active, i, s]);
  });
  push("run", runId, "NEW", "ACTIVE", T + 500);
  // two stages: longer tasks first, then many sub-second ones (bars narrower than a pixel at full view)
  const half = Math.floor(shape.tasks / 2);
  let end = T;
  for (let k = 0; k < shape.tasks; k++) {
    const stage = k < half ? "Stage_1" : "Stage_2";
    const id = `${stage}_${k < half ? k : k - half}`;
    const length = k < half ? 1_000 + rnd() * 2_000 : 50 + rnd() * 450;
    push("task", id, null, "NEW", T, { stage, cores: 1, attempt: 0 });
    push("task", id, "NEW", "TMGR_SCHEDULING_PENDING", T + 500, { attempt: 0 });
    const [free, p, slot] = slots.pop();
    const pilotId = pilotIds[p]!;
    const bound = Math.max(T + 600, free - 400);
    push("task", id, "TMGR_SCHEDULING_PENDING", "TMGR_SCHEDULING", bound, { pilotId, attempt: 0 });
    push("task", id, "TMGR_SCHEDULING", "TMGR_STAGING_INPUT", bound + 5, { pilotId, files: 0 });
    push("task", id, "TMGR_STAGING_INPUT", "AGENT_STAGING_INPUT", bound + 40, { pilotId });
    const start = Math.max(free, bound + 60) + rnd() * 20;
    push("task", id, "AGENT_STAGING_INPUT", "AGENT_EXECUTING", start, {
      pilotId,
      attempt: 0,
      slots: [slot],
      stage,
    });
    const stop = start + length;
    const exitCode = rnd() < 0.001 ? 1 : 0;
    push("task", id, "AGENT_EXECUTING", "AGENT_STAGING_OUTPUT", stop, { pilotId, attempt: 0, exitCode });
    if (exitCode === 0) {
      push("task", id, "AGENT_STAGING_OUTPUT", "TMGR_STAGING_OUTPUT", stop + 150, { pilotId });
      push("task", id, "TMGR_STAGING_OUTPUT", "DONE", stop + 200, { pilotId });
    } else
      push(
        "task",
        id,
        "AGENT_STAGING_OUTPUT",
        "FAILED",
        stop + 150,
        { pilotId, exitCode },
        "the task exited with a non-zero code",
      );
    end = Math.max(end, stop + 200);
    slots.push([stop + 5, p, slot]);
  }
  for (const id of pilotIds) push("pilot", id, "PMGR_ACTIVE", "DONE", end + 300);
  push("run", runId, "ACTIVE", "FAILED", end + 400, null, "some tasks FAILED");
  // the engine writes in time order; the sort is stable, so one entity's same-time events keep their order
  ev.sort((a, b) => a.at - b.at);
  ev.forEach((e, i) => (e.seq = i + 1));
  return ev;
}
