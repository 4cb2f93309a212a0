import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Workload } from "../model/workload";
import { lptMakespan, planWorkload, renderPlanText, type ExecutionStrategy } from "./index";
import { resource, sc2014, task } from "./test-helpers";

const now = new Date("2026-11-24T10:05:00Z");
const plan = (
  w: Workload,
  rs: ReturnType<typeof resource>[],
  strategy: "aimes" | "adaptive",
  extra = {},
): ExecutionStrategy => {
  const r = planWorkload(w, rs, { strategy, now, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
};
// the pilots a run keeps: a spare (surplus) pilot is cancelled once the others are active, or starts in place of one of them
const coreSeconds = (p: ExecutionStrategy) =>
  p.pilots.filter((x) => !x.surplus).reduce((a, x) => a + x.cores * x.walltimeMinutes * 60, 0);

describe("aimes strategy: the original's worked examples, number for number", () => {
  const rows: [number, number, number][] = [
    [1, 21, 13.75],
    [2, 11, 14.2833],
    [3, 7, 14.8167],
    [4, 6, 15.35],
    [5, 5, 15.8833],
  ];
  for (const [n, cores, minutes] of rows) {
    it(`SC2014 demo on ${n} resource(s): ${n} × ${cores} cores × ${minutes} min`, () => {
      const p = plan(
        sc2014(),
        ["stampede", "trestles", "gordon", "blacklight", "hopper"].slice(0, n).map((l) => resource(l)),
        "aimes",
      );
      expect(p.pilots).toHaveLength(n);
      expect(p.pilots.every((x) => x.cores === cores)).toBe(true);
      expect(p.pilots[0]!.walltimeMinutes).toBeCloseTo(minutes, 4);
      expect(p.trail.find((t) => t.label === "staging")?.value).toBe(108.81);
      expect(p.trail.find((t) => t.label === "overhead")?.value).toBe(684);
      expect(p.trail.find((t) => t.label === "compute")?.value).toBe(32 * n);
      expect(p.scheduler).toBe(n > 1 ? "backfilling" : "direct");
    });
  }
  it("the 32-task, 4-resource plan: 4 pilots × 8 cores × 72 min (72.13 unrounded)", () => {
    const w: Workload = {
      name: "bag",
      seed: 0,
      stages: [{ name: "Stage_1", index: 0, taskIds: [], dependsOn: [] }],
      tasks: Array.from({ length: 32 }, (_, i) => task(1, i, 900)),
      warnings: [],
    };
    const p = plan(
      w,
      ["stampede", "supermic", "gordon", "comet"].map((l) => resource(l)),
      "aimes",
    );
    expect(p.pilots.map((x) => x.cores)).toEqual([8, 8, 8, 8]);
    expect(Math.floor(p.pilots[0]!.walltimeMinutes)).toBe(72);
    expect(p.pilots[0]!.walltimeMinutes).toBeCloseTo(4328 / 60, 6);
    expect(p.trail.find((t) => t.label === "compute")?.value).toBe(3600);
    expect(p.trail.find((t) => t.label === "overhead")?.value).toBe(728);
  });
  it("orders resources by D02: most cores, then shortest queue", () => {
    const p = plan(
      sc2014(),
      [
        resource("small", {}, { maxCoresPerJob: 16 }),
        resource("busy", {}, { jobsQueued: 50 }),
        resource("idle"),
      ],
      "aimes",
    );
    expect(p.pilots.map((x) => x.resource)).toEqual(["idle", "busy", "small"]);
    expect(renderPlanText(p)).toMatch(/D05 +scheduler: SCHED_BACKFILLING/);
  });
  it("early binding uses only the first resource with direct submission", () => {
    const p = plan(sc2014(), [resource("a"), resource("b")], "aimes", { binding: "early" });
    expect([p.pilots.length, p.pilots[0]!.cores, p.scheduler]).toEqual([1, 21, "direct"]);
  });
});

describe("adaptive strategy", () => {
  it("sizes the SC2014 demo by its largest stage and asks far fewer core-seconds than aimes", () => {
    const rs = ["stampede", "trestles", "gordon", "blacklight", "hopper"].map((l) => resource(l));
    const a = plan(sc2014(), rs, "aimes");
    const b = plan(sc2014(), rs, "adaptive");
    expect(b.pilots.map((x) => [x.cores, x.surplus ?? false])).toEqual([
      [4, false],
      [4, false],
      [4, false],
      [4, false],
      [4, false],
      [4, true],
    ]);
    expect(coreSeconds(b)).toBeLessThan(coreSeconds(a) / 3);
    // one surviving 4-core pilot: 5 waves of 10 s + 32 s, plus staging and overhead, +10 %
    expect(b.pilots[0]!.walltimeMinutes * 60).toBeCloseTo(82 * 1.1 + 108.8117 + 62.1, 1);
  });
  it("respects queue limits: caps cores and walltime, and rejects queues that cannot run a task", () => {
    const rs = [
      resource("narrow", {}, { maxCoresPerJob: 2 }),
      resource("short", {}, { maxWalltimeSeconds: 300 }),
      resource("tiny", {}, { maxWalltimeSeconds: 30 }),
    ];
    const p = plan(sc2014(), rs, "adaptive");
    expect(p.pilots.find((x) => x.resource === "narrow")?.cores).toBe(2);
    expect(p.pilots.find((x) => x.resource === "short")!.walltimeMinutes * 60).toBeLessThanOrEqual(300);
    expect(p.pilots.some((x) => x.resource === "tiny")).toBe(false);
    expect(p.rejected[0]?.why).toMatch(/walltime limit 30 s is shorter than the longest task/);
  });
  it("refuses a workload no resource can run, saying why", () => {
    const w = sc2014();
    w.tasks[0]!.cores = 64;
    const r = planWorkload(w, [resource("a", {}, { maxCoresPerJob: 32 })], { strategy: "adaptive", now });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]?.message).toMatch(/a task needs 64 cores but a job there may have at most 32/);
  });
  it("flags stale snapshots with their age", () => {
    const r = planWorkload(sc2014(), [resource("old", { takenAt: "2026-11-24T08:00:00Z" })], {
      strategy: "adaptive",
      now,
    });
    expect(r.ok && r.plan.warnings[0]?.message).toMatch(/old is 125 min old/);
  });
  // The comparison is restricted to workloads where the aimes plan is feasible by its own rationale
  // (one surviving pilot finishes everything within the walltime). For multi-stage workloads with
  // long tasks, aimes's "longest task × #pilots" underestimates the sequential stages; such a plan
  // would run out of walltime, and asking for fewer core-seconds than it is no virtue.
  it("property: never more core-seconds than a feasible aimes plan, never beyond a queue limit", () => {
    let compared = 0;
    const arbTask = fc.record({
      length: fc.integer({ min: 1, max: 2000 }),
      cores: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(arbTask, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.record({
            maxCores: fc.integer({ min: 4, max: 512 }),
            maxWall: fc.option(fc.integer({ min: 4000, max: 200000 }), { nil: null }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (stages, limits) => {
          const tasks = stages.flatMap((s, si) =>
            s.map((t, i) => task(si + 1, i, t.length, { cores: t.cores })),
          );
          const w: Workload = {
            name: "p",
            seed: 0,
            stages: stages.map((_, si) => ({
              name: `Stage_${si + 1}`,
              index: si,
              taskIds: [],
              dependsOn: [],
            })),
            tasks,
            warnings: [],
          };
          const rs = limits.map((l, i) =>
            resource(`r${i}`, {}, { maxCoresPerJob: l.maxCores, maxWalltimeSeconds: l.maxWall }),
          );
          const a = plan(w, rs, "aimes");
          const r = planWorkload(w, rs, { strategy: "adaptive", now });
          if (!r.ok) return true; // refused: no queue could take the longest task
          for (const p of r.plan.pilots) {
            const l = limits[Number(p.resourceId.slice(1))]!;
            expect(p.cores).toBeLessThanOrEqual(l.maxCores);
            if (l.maxWall !== null) expect(p.walltimeMinutes * 60).toBeLessThanOrEqual(l.maxWall + 1e-6);
          }
          const aimesPilot = a.pilots[0]!;
          const needed = stages.reduce((acc, s) => acc + lptMakespan(s, aimesPilot.cores), 0);
          if (aimesPilot.walltimeMinutes * 60 >= needed) {
            compared += 1;
            expect(coreSeconds(r.plan)).toBeLessThanOrEqual(coreSeconds(a) + 1e-6);
          }
          return true;
        },
      ),
      { numRuns: 300, seed: 2014 },
    );
    expect(compared).toBeGreaterThan(150);
  });
});

describe("adaptive: the spare pilot", () => {
  const waits = (median: number, p90: number) => ({
    waitHistory: [{ queue: "normal", samples: 20, medianSeconds: median, p90Seconds: p90 }],
  });
  it("adds one spare on the queue with the shortest measured p90 wait, and says why in the trail", () => {
    const p = plan(
      sc2014(),
      [resource("steady", waits(120, 900)), resource("fast", waits(60, 3000)), resource("unknown")],
      "adaptive",
    );
    expect(p.pilots.filter((x) => x.surplus).map((x) => x.resource)).toEqual(["steady"]);
    expect(p.trail.find((t) => t.label === "A04")).toMatchObject({
      value: "1 on steady[normal]",
      note: expect.stringContaining("shortest measured p90 wait (900 s)"),
    });
    expect(p.trail.find((t) => t.label === "A03")?.value).toBe(
      `4 pilot(s): 4 × ${p.pilots[0]!.cores} core(s)`,
    );
  });
  it("adds none on local resources only, when switched off, or with early binding", () => {
    const local = resource("local", { batch: "local" });
    expect(plan(sc2014(), [local], "adaptive").pilots.some((x) => x.surplus)).toBe(false);
    expect(plan(sc2014(), [resource("a")], "adaptive", { autoSpare: false }).pilots).toHaveLength(1);
    expect(plan(sc2014(), [resource("a")], "adaptive", { binding: "early" }).pilots).toHaveLength(1);
    expect(
      plan(sc2014(), [resource("a")], "adaptive", { overProvision: 1 }).pilots.map((x) => x.surplus ?? false),
    ).toEqual([false, true, true]);
  });
});

describe("list scheduling estimate", () => {
  it("matches hand-computed makespans", () => {
    expect(
      lptMakespan(
        [
          { length: 10, cores: 1 },
          { length: 10, cores: 1 },
          { length: 10, cores: 1 },
        ],
        2,
      ),
    ).toBe(20);
    // LPT is a heuristic: 7+3 | 5+4+3 = 12 where the optimum is 11 (7+4 | 5+3+3)
    expect(
      lptMakespan(
        [7, 5, 4, 3, 3].map((length) => ({ length, cores: 1 })),
        2,
      ),
    ).toBe(12);
    expect(
      lptMakespan(
        [
          { length: 5, cores: 2 },
          { length: 3, cores: 1 },
        ],
        2,
      ),
    ).toBe(8);
    expect(lptMakespan([{ length: 5, cores: 3 }], 2)).toBe(Infinity);
  });
});
