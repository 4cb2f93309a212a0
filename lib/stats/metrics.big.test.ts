import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { loadSkeletonText } from "../skeleton";
import { skeletonText } from "../skeleton/test-helpers";
import { planWorkload } from "../planner";
import { resource } from "../planner/test-helpers";
import { maxOf } from "../util/extent";
import { computeStats, plainReport } from "./metrics";

// Issue 13: a 200,000-task run hit `Math.max(...array)` (RangeError: call stack) in the launch
// action, the statistics and the planner. These run the real code paths at that size.
const N = 200_000;
const T = 1_700_000_000_000;

function bigLog(): RunEvent[] {
  let seq = 0;
  const ev = (
    entity: RunEvent["entity"],
    entityId: string,
    to: string,
    atS: number,
    data: Record<string, unknown> | null = null,
  ): RunEvent => ({
    seq: ++seq,
    runId: "r",
    entity,
    entityId,
    from: null,
    to,
    at: T + atS * 1000,
    reason: null,
    data,
  });
  const out: RunEvent[] = [
    ev("run", "r", "ACTIVE", 0),
    ev("pilot", "p1", "NEW", 0, { label: "p1", cores: 16 }),
    ev("pilot", "p1", "PMGR_ACTIVE_PENDING", 0),
    ev("pilot", "p1", "PMGR_ACTIVE", 5),
  ];
  for (let i = 0; i < N; i++) {
    const id = `Stage_${(i % 2) + 1}_${i}`;
    const start = 5 + Math.floor(i / 16);
    out.push(
      ev("task", id, "NEW", 0, { stage: `Stage_${(i % 2) + 1}`, cores: 1, attempt: 0 }),
      ev("task", id, "TMGR_SCHEDULING", start, { pilotId: "p1", attempt: 0 }),
      ev("task", id, "AGENT_EXECUTING", start, { pilotId: "p1", attempt: 0, slots: [i % 16] }),
      ev("task", id, "AGENT_STAGING_OUTPUT", start + 1, { pilotId: "p1", attempt: 0, exitCode: 0 }),
      ev("task", id, "DONE", start + 1, { attempt: 0 }),
    );
  }
  const end = 5 + N / 16 + 1;
  out.push(ev("pilot", "p1", "DONE", end), ev("run", "r", "DONE", end));
  return out;
}

describe("200,000 tasks through the statistics and the planner", () => {
  it("computes the statistics of a 200,000-task run on one pilot without RangeError", () => {
    const st = computeStats(bigLog());
    expect(st.counts).toMatchObject({ done: N, total: N });
    expect(st.stages.map((s) => [s.name, s.tasks])).toEqual([
      ["Stage_1", N / 2],
      ["Stage_2", N / 2],
    ]);
    expect(st.stages[0]!.span).toBe(N / 16);
    expect(st.pilots[0]!.tasksRun).toBe(N);
    expect(plainReport(st)).toMatch(
      /^1 pilot requested, 1 became active after 5 s; 200000 tasks done, 0 failed/,
    );
  }, 60_000);

  it("plans a 200,000-task skeleton with both strategies and finds its widest task", () => {
    const l = loadSkeletonText(
      skeletonText([
        { name: "Stage_1", tasks: N / 2, processes: 2 },
        { name: "Stage_2", tasks: N / 2, inputs: [["Source = Stage_1.Output_1"]] },
      ]),
    );
    if (!l.ok) throw new Error(JSON.stringify(l.errors));
    expect(l.workload.tasks).toHaveLength(N);
    // what the launch action computes (app/(app)/skeletons/[id]/plan/actions.ts): a spread threw here
    expect(() => Math.max(...l.workload.tasks.map((t) => t.cores))).toThrow(RangeError);
    expect(maxOf(l.workload.tasks.map((t) => t.cores))).toBe(2);
    for (const strategy of ["aimes", "adaptive"] as const) {
      const r = planWorkload(l.workload, [resource("stampede"), resource("comet")], {
        strategy,
        now: new Date(),
      });
      expect(r.ok && r.plan.pilots.length).toBeGreaterThan(0);
    }
  }, 60_000);
});
