import { describe, expect, it } from "vitest";
import { pilotsCsv, tasksCsv } from "../stats/exports";
import { emptyView, foldEvents } from "../stats/fold";
import { computeStats } from "../stats/metrics";
import { toTimeline } from "../timeline/build";
import { seededRng } from "../skeleton/rng";
import { simulateMany } from "./many";
import { simulateRun } from "./run";
import { sc2014 } from "../planner/test-helpers";
import { bag, input, pilot, ZERO } from "./test-helpers";

const rng = () => seededRng(1, "test");

describe("simulateRun: hand-checked runs", () => {
  it("4 tasks of 10 s on two 1-core pilots active at 0 s and 5 s end at 25 s", () => {
    // A runs tasks 0 (0–10) and 2 (10–20); B runs 1 (5–15) and 3 (15–25)
    const r = simulateRun(input(bag(4, 10), [pilot("A", 1, 0), pilot("B", 1, 5)]), rng());
    expect(r.ttc).toBe(25);
    expect(r.failed).toBeUndefined();
    expect(r.tasksDone).toBe(4);
    expect(r.terms).toEqual({ queueWait: 0, startup: 0, execution: 25, staging: 0, overhead: 0 });
    const onB = r.events
      .filter(
        (e) =>
          e.entity === "task" &&
          e.to === "AGENT_EXECUTING" &&
          (e.data as { pilotId: string }).pilotId === "B",
      )
      .map((e) => e.entityId);
    expect(onB).toEqual(["Stage_1_1", "Stage_1_3"]);
  });

  it("adds agent start-up, hand-over and the end of the run", () => {
    const o = { ...ZERO, startupS: 1, perTaskS: 0.5 };
    // A ready at 1: task 0 handed over 1–1.5, runs 1.5–11.5; B ready at 6: task 1 6–6.5, 6.5–16.5;
    // task 2 on A: hand-over 11.5–12, 12–22; task 3 on B: 16.5–17, 17–27; end + 2 s
    const r = simulateRun(
      input(bag(4, 10), [pilot("A", 1, 0, { overheads: o }), pilot("B", 1, 5, { overheads: o })], {
        endS: 2,
      }),
      rng(),
    );
    expect(r.ttc).toBe(29);
    expect(r.terms.startup).toBe(1.5);
    expect(
      r.terms.queueWait + r.terms.startup + r.terms.execution + r.terms.staging + r.terms.overhead,
    ).toBeCloseTo(29, 9);
  });

  it("retries a task killed by walltime expiry on another pilot", () => {
    // A (walltime 15 s) runs task 0 (0–10) and task 1 from 10 until it expires at 15; B starts at 20
    const r = simulateRun(input(bag(2, 10), [pilot("A", 1, 0, { walltimeS: 15 }), pilot("B", 1, 20)]), rng());
    expect(r.ttc).toBe(30);
    expect(r.tasksDone).toBe(2);
    const requeue = r.events.find(
      (e) => e.entityId === "Stage_1_1" && e.to === "TMGR_SCHEDULING_PENDING" && e.reason,
    );
    expect(requeue?.reason).toMatch(/^retry: pilot A \(0\) ended DONE/);
    expect(requeue?.data).toMatchObject({ attempt: 1, fromPilotId: "A" });
    expect(r.events.find((e) => e.entityId === "A" && e.to === "DONE")?.reason).toBe(
      "agent exited: walltime",
    );
  });

  it("fails the task when no retries are left, and the run with it", () => {
    const r = simulateRun(
      input(bag(2, 10), [pilot("A", 1, 0, { walltimeS: 15 }), pilot("B", 1, 20)], { maxRetries: 0 }),
      rng(),
    );
    expect(r.tasksFailed).toBe(1);
    expect(r.failed).toMatch(
      /^1 of 2 task\(s\) failed: pilot A \(0\) ended DONE: agent exited: walltime while the task ran \(no retries left\)$/,
    );
    expect(r.events.at(-1)).toMatchObject({ entity: "run", to: "FAILED", reason: "1 of 2 task(s) failed" });
  });

  it("runs everything on the pilot that starts when the other never does", () => {
    const r = simulateRun(input(bag(4, 10), [pilot("A", 1, 0), pilot("B", 1, null)]), rng());
    expect(r.ttc).toBe(40);
    expect(r.pilotsActive).toBe(1);
    expect(r.events.find((e) => e.entityId === "B" && e.to === "CANCELED")?.at).toBe(
      1_800_000_000_000 + 40_000,
    );
  });

  it("fails with the reason when no pilot ever starts", () => {
    const r = simulateRun(input(bag(2, 10), [pilot("A", 1, null), pilot("B", 1, null)]), rng());
    expect(r.failed).toBe("no pilot is left to run the 2 remaining task(s); A, B never became active");
    expect(r.tasksDone).toBe(0);
  });

  it("uses the engine's stuck rule when the only live pilots are too small", () => {
    const r = simulateRun(input(bag(1, 10, { cores: 4 }), [pilot("A", 2, 0)]), rng());
    expect(r.failed).toBe("a remaining task needs 4 cores but the largest live pilot has 2");
    expect(r.ttc).toBe(0);
    expect(r.events.filter((e) => e.entity === "task").map((e) => e.to)).toEqual([
      "NEW",
      "TMGR_SCHEDULING_PENDING",
      "CANCELED",
    ]);
  });

  it("lets a 1-core task backfill past a 2-core task on a 1-core pilot (bindLate)", () => {
    const w = bag(2, 10);
    w.tasks[0]!.cores = 2;
    const r = simulateRun(input(w, [pilot("A", 1, 0), pilot("B", 2, 30)]), rng());
    const firstOnA = r.events.find(
      (e) => e.to === "AGENT_EXECUTING" && (e.data as { pilotId: string }).pilotId === "A",
    );
    expect(firstOnA?.entityId).toBe("Stage_1_1");
    expect(r.ttc).toBe(40);
  });

  it("kills a pilot at a given time (what-if) and rebinds its queued tasks", () => {
    const r = simulateRun(
      input(bag(3, 10), [pilot("A", 1, 0, { failAfterActiveS: 5 }), pilot("B", 1, 0)], { prefetchShare: 1 }),
      rng(),
    );
    expect(r.events.find((e) => e.entityId === "A" && e.to === "FAILED")).toBeTruthy();
    expect(r.tasksDone).toBe(3);
    expect(r.ttc).toBe(30); // B runs its own two, then the retried one: 0–10, 10–20, 20–30
  });
});

describe("stages (the engine's readiness)", () => {
  it("starts the SC2014 demo's second stage when the 20 first-stage outputs are done", () => {
    // 20 × 10 s on 4 cores: 5 waves, 0–50 s; then the 32 s task: 50–82 s
    const r = simulateRun(input(sc2014(), [pilot("A", 4, 0)]), rng());
    expect(r.ttc).toBe(82);
    expect(r.events.find((e) => e.entityId === "Stage_2_0" && e.to === "AGENT_EXECUTING")?.at).toBe(
      1_800_000_000_000 + 50_000,
    );
  });

  it("fails a task whose input task failed, with the engine's reason", () => {
    // the pilot's walltime ends the first wave of stage 1 with no retries left
    const r = simulateRun(input(sc2014(), [pilot("A", 20, 0, { walltimeS: 5 })], { maxRetries: 0 }), rng());
    const s2 = r.events.filter((e) => e.entityId === "Stage_2_0").at(-1)!;
    expect(s2.to).toBe("FAILED");
    expect(s2.reason).toMatch(/^its input comes from Stage_1_\d+, which FAILED$/);
    expect(r.tasksFailed).toBe(21);
  });
});

describe("prefetch (the engine's EMANAGER_PREFETCH)", () => {
  it("a task held in a busy pilot's agent waits there while another pilot idles", () => {
    const ps = () => [pilot("A", 2, 0), pilot("B", 2, 1)];
    // without prefetch: A runs tasks 0 and 1 (0–10), B tasks 2 and 3 (1–11)
    expect(simulateRun(input(bag(4, 10), ps()), rng()).ttc).toBe(11);
    // with 0.5: A holds 3 tasks, task 2 waits in its agent until 10; B gets only task 3 (1–11)
    const r = simulateRun(input(bag(4, 10), ps(), { prefetchShare: 0.5 }), rng());
    expect(r.ttc).toBe(20);
    const t2 = r.events
      .filter((e) => e.entityId === "Stage_1_2")
      .map((e) => `${e.to}@${(e.at - 1_800_000_000_000) / 1000}`);
    expect(t2).toEqual([
      "NEW@0",
      "TMGR_SCHEDULING_PENDING@0",
      "TMGR_SCHEDULING@0",
      "AGENT_STAGING_INPUT@0",
      "AGENT_SCHEDULING@0",
      "AGENT_EXECUTING@10",
      "AGENT_STAGING_OUTPUT@20",
      "DONE@20",
    ]);
    expect(computeStats(r.events).problems).toEqual([]);
  });
});

describe("a simulated run's events fold with lib/stats", () => {
  it("gives the same TTC, execution and counts, and utilisation adds up", () => {
    const o = { ...ZERO, startupS: 2, perTaskS: 0.25, bandwidthInBps: 1_048_576, stageOutS: 1 };
    const r = simulateRun(
      input(
        bag(6, 10, { inBytes: 1_048_576 }),
        [pilot("A", 2, 3, { overheads: o }), pilot("B", 2, null, { overheads: o })],
        { endS: 4 },
      ),
      rng(),
    );
    const st = computeStats(r.events);
    expect(st.problems).toEqual([]);
    // two cores on A: the tasks fill lanes 0 and 1
    const lanes = toTimeline(foldEvents(emptyView(), r.events)).tasks.map((t) => t.lane);
    expect(new Set(lanes)).toEqual(new Set([0, 1]));
    expect(st.ttc).toBeCloseTo(r.ttc, 3);
    expect(st.ttx).toBeCloseTo(r.terms.execution, 3);
    expect(st.counts).toEqual({ done: 6, failed: 0, canceled: 0, total: 6 });
    expect(st.pilots.map((p) => p.becameActive)).toEqual([true, false]);
    const u = st.utilisation;
    expect(u.application + u.system + u.idle).toBeCloseTo(100, 6);
    const t = r.terms;
    expect(t.queueWait + t.startup + t.execution + t.staging + t.overhead).toBeCloseTo(r.ttc, 6);
    expect(t.staging).toBeGreaterThan(0);
    expect(r.events.every((e) => (e.data as { simulated?: boolean }).simulated === true)).toBe(true);
    expect(r.events[0]).toMatchObject({ entity: "run", to: "NEW", reason: "simulated run" });
    const seqs = r.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it("draws as a Gantt chart and exports as the run page's CSV files", () => {
    const r = simulateRun(input(bag(4, 10), [pilot("A", 1, 0, { walltimeS: 15 }), pilot("B", 1, 5)]), rng());
    const g = toTimeline(foldEvents(emptyView(), r.events));
    expect(g.pilots.map((p) => p.id)).toEqual(["A", "B"]);
    // one bar per execution attempt: Stage_1_2 ran on A until its walltime, then again on B
    expect(g.tasks.map((t) => `${t.taskId}@${t.pilotId}:${t.lane}`)).toEqual([
      "Stage_1_0@A:0",
      "Stage_1_1@B:0",
      "Stage_1_2@A:0",
      "Stage_1_2@B:0",
      "Stage_1_3@B:0",
    ]);
    const st = computeStats(r.events);
    expect(pilotsCsv(st).split("\n")).toHaveLength(4); // header, two pilots, final newline
    expect(tasksCsv(st)).toMatch(/Stage_1_2/);
    // the task cut by A's walltime shows its retry
    expect(st.tasks.find((t) => t.id === "Stage_1_2")?.attempts).toBe(2);
  });
});

describe("simulateMany", () => {
  const w = bag(16, 100);
  const ps = [
    pilot("A", 4, { kind: "samples", seconds: [10, 50, 400], neverShare: 0.2, source: "test" }),
    pilot("B", 4, { kind: "lognormal", medianSeconds: 60, p90Seconds: 600, source: "test" }),
  ];
  it("is deterministic for a seed", () => {
    const a = simulateMany(input(w, ps, { record: false }), 200, 7);
    const b = simulateMany(input(w, ps, { record: false }), 200, 7);
    expect(a).toEqual(b);
    const c = simulateMany(input(w, ps, { record: false }), 200, 8);
    expect(c.median).not.toBe(a.median);
    expect(a.p10! <= a.median! && a.median! <= a.p90!).toBe(true);
  });
  it("counts runs in which no pilot starts as failures", () => {
    const s = simulateMany(
      input(w, [pilot("A", 4, { kind: "samples", seconds: [10], neverShare: 0.5, source: "test" })], {
        record: false,
      }),
      400,
      1,
    );
    expect(s.failShare).toBeGreaterThan(0.4);
    expect(s.failShare).toBeLessThan(0.6);
    expect(s.failures[0]?.reason).toMatch(/never became active/);
    expect(s.median).toBe(10 + 4 * 100);
  });
});
