import { describe, expect, it } from "vitest";
import type { Workload } from "../model/workload";
import { loadSkeletonText } from "../skeleton";
import { fixture } from "../skeleton/test-helpers";
import { planProblems, planWorkload, renderPlanText, type ExecutionStrategy } from "./index";
import { resource, sc2014, task } from "./test-helpers";

// Issue 15: plans a resource cannot take carry a warning in the table and the trail; launch refuses them (lib/runs/launch.ts).
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
/** The 2-core `local` resource as the local probe describes it. */
const local = () =>
  resource(
    "local",
    { batch: "local", nodes: 1, coresPerNode: 2 },
    { name: "local", maxCoresPerJob: null, nodesTotal: 1, nodesFree: 1, coresTotal: 2, coresFree: 2 },
  );
const bag = (n: number, length: number, cores = 1): Workload => ({
  name: "bag",
  seed: 0,
  stages: [{ name: "Stage_1", index: 0, taskIds: [], dependsOn: [] }],
  tasks: Array.from({ length: n }, (_, i) => task(1, i, length, { cores })),
  warnings: [],
});

describe("planProblems", () => {
  it("aimes keeps the original's 21 cores on the 2-core local, and says local cannot take them", () => {
    const p = plan(sc2014(), [local()], "aimes");
    expect(p.pilots[0]!.cores).toBe(21);
    expect(p.pilots[0]!.walltimeMinutes).toBeCloseTo(13.75, 4);
    // on pilot 1's row of the plan's table (warning.pilot) and in the trail
    expect(p.warnings.map((w) => [w.code, w.pilot])).toEqual([["CORES_OVER_LIMIT", 1]]);
    expect(p.warnings[0]!.message).toBe(
      "pilot 1 (local[local]) asks for 21 cores, but local has 2 cores in all.",
    );
    expect(p.trail.at(-1)).toMatchObject({
      label: "W1",
      title: "the resource cannot take this plan",
      value: "CORES_OVER_LIMIT",
    });
    expect(renderPlanText(p)).toMatch(/warning: pilot 1 \(local\[local\]\) asks for 21 cores/);
  });
  it("names the per-job limit of 20,000-core pilots on 1,024–4,096-core queues", () => {
    const p = plan(
      bag(40_000, 60),
      [
        resource("stampede", { nodes: 6400 }, { maxCoresPerJob: 4096, coresTotal: 102_400 }),
        resource("gordon", { nodes: 6400 }, { maxCoresPerJob: 1024, coresTotal: 102_400 }),
      ],
      "aimes",
    );
    expect(p.pilots.map((x) => x.cores)).toEqual([20_000, 20_000]);
    expect(p.warnings.map((w) => w.message)).toEqual([
      "pilot 1 (stampede[normal]) asks for 20,000 cores, but a job in normal may have at most 4,096.",
      "pilot 2 (gordon[normal]) asks for 20,000 cores, but a job in normal may have at most 1,024.",
    ]);
  });
  it("flags a pilot narrower than the widest task, a walltime over the queue limit and one that is not finite", () => {
    const w = bag(2, 100, 2048);
    const pilots = [
      {
        resourceId: "a",
        resource: "a",
        queue: "normal",
        cores: 1639,
        nodes: 103,
        walltimeMinutes: 30,
        project: null,
      },
      {
        resourceId: "a",
        resource: "a",
        queue: "normal",
        cores: 2048,
        nodes: 128,
        walltimeMinutes: 90,
        project: null,
      },
      {
        resourceId: "a",
        resource: "a",
        queue: "normal",
        cores: 2048,
        nodes: 128,
        walltimeMinutes: Infinity,
        project: null,
      },
    ];
    const snaps = [resource("a", { nodes: 1000 }, { maxWalltimeSeconds: 3600, coresTotal: 16_000 })];
    const got = planProblems({ pilots }, w, snaps);
    // a 1,639-core pilot beside 2,048-core ones just runs narrower tasks; alone (every pilot narrower) it is named
    expect(got.map((x) => [x.pilot, x.code])).toEqual([
      [2, "WALLTIME_OVER_LIMIT"],
      [3, "WALLTIME_NOT_FINITE"],
    ]);
    const narrow = planProblems(
      { pilots: [pilots[0]!, { ...pilots[0]!, resource: "b", resourceId: "b" }] },
      w,
      snaps,
    );
    expect(narrow.map((x) => [x.pilot, x.code])).toEqual([
      [1, "NARROWER_THAN_TASK"],
      [2, "NARROWER_THAN_TASK"],
    ]);
    expect(narrow[0]!.message).toBe(
      "pilot 1 (a[normal]) has 1,639 cores, fewer than the widest task needs (2,048): that task can never run on it",
    );
    expect(got[0]!.message).toBe(
      "pilot 2 (a[normal]) asks for 90.00 minutes, over normal's limit of 60.00 minutes",
    );
    expect(got[1]!.message).toMatch(/no finite walltime \(Infinity minutes\)/);
  });
  it("finds nothing wrong in a plan the resources can take", () => {
    expect(plan(sc2014(), [resource("stampede"), resource("comet")], "aimes").warnings).toEqual([]);
    expect(plan(sc2014(), [resource("stampede"), local()], "adaptive").warnings).toEqual([]);
  });
});

describe("adaptive: the trail and the table agree", () => {
  it("says 2 cores in the trail when the 2-core local caps the pilot, as the table does", () => {
    const p = plan(bag(8, 10), [local()], "adaptive");
    expect(p.pilots.map((x) => x.cores)).toEqual([2]);
    expect(p.trail.find((t) => t.label === "A03")?.value).toBe("1 pilot(s): 1 × 2 core(s)");
  });
  it("with early binding, the trail explains only the one pilot it launches", () => {
    const p = plan(sc2014(), [resource("a"), resource("b")], "adaptive", { binding: "early" });
    expect(p.pilots).toHaveLength(1);
    expect(p.trail.filter((t) => /^P\d+$/.test(t.label)).map((t) => t.label)).toEqual(["P1"]);
    expect(p.trail.find((t) => t.label === "A03")?.value).toBe(
      `1 pilot(s): 1 × ${p.pilots[0]!.cores} core(s)`,
    );
  });
});

describe("Task_Mode = flops", () => {
  const l = loadSkeletonText(fixture("AIMES-Experience_run-64_late_uniform_3_skeleton.conf"), { seed: 0 });
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  const w = l.workload;
  it("refuses with a clear message when no rate is known, instead of reading 1.7e12 FLOPs as seconds", () => {
    const r = planWorkload(w, [resource("stampede"), resource("comet")], { strategy: "aimes", now });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.code).toBe("FLOPS_RATE");
      expect(r.errors[0]!.message).toBe(
        "64 task(s) give their length in FLOPs (Task_Mode = flops, up to 1.72e+12), and EManager does not know how fast stampede, comet compute: give a rate in FLOP per core-second for each (the plan's flops rate, e.g. 1e9), or write the lengths in seconds",
      );
    }
  });
  it("converts FLOPs with the slowest chosen resource's rate and shows the rates in the trail", () => {
    const rates = { stampede: 2e9, comet: 1e9 };
    const p = plan(w, [resource("stampede"), resource("comet")], "aimes", { flopsPerCoreSecond: rates });
    // 1,715,750,072,310 FLOPs / 1e9 FLOP/s = 1,715.75 s → ⌈⌉ 1716 s longest task; compute = 1716 × 2 pilots
    expect(p.trail.find((t) => t.label === "compute")?.value).toBe(1716 * 2);
    const f = p.trail.find((t) => t.label === "F01")!;
    expect(f.inputs).toMatchObject({
      "stampede rate": 2e9,
      "comet rate": 1e9,
      "largest FLOPs": 1715750072310,
      "its seconds": 1715.75,
    });
    expect(p.trail[1]!.label).toBe("F01");
  });
});
