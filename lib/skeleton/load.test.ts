import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { emitShell, loadSkeletonText, workloadMetrics } from "./index";
import { skeletonText } from "./test-helpers";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
const demo = readFileSync(path.join(FIX, "emanager_skeleton_demo_SC2014.conf"), "utf8");

describe("loading skeletons", () => {
  it("expands the SC2014 demo into 21 tasks in 2 stages with their dependencies and the original's data figures", () => {
    const r = loadSkeletonText(demo, { fileName: "skeleton_demo_SC2014.conf" });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const w = r.workload;
    expect(w.name).toBe("skeleton_demo_SC2014");
    expect(w.stages.map((s) => [s.name, s.taskIds.length, s.dependsOn])).toEqual([
      ["Stage_1", 20, []],
      ["Stage_2", 1, ["Stage_1"]],
    ]);
    expect(w.tasks[20]?.dependsOn).toHaveLength(20);
    expect(w.tasks[0]).toMatchObject({
      id: "Stage_1_0",
      cores: 1,
      length: 10,
      inputs: [{ path: "Stage_1_Input/Stage_1_Input_0_1", size: 1048576 }],
      outputs: [{ path: "Stage_1_Output/Stage_1_Output_0_1", size: 20000 }],
    });
    const m = workloadMetrics(w);
    expect(m.tasks).toBe(21);
    expect(m.inputMB.toFixed(2)).toBe("20.38");
    expect(m.outputMB.toFixed(2)).toBe("1.38");
    expect([m.coresSum, m.longestTask, m.taskSeconds]).toEqual([21, 32, 232]);
  });

  it("reads the same workload from YAML and from JSON", () => {
    const yaml = `stages:
  - name: Stage_1
    tasks: 20
    length: uniform 10
    inputs:
      - { source: filesystem, size: uniform 1048576 }
    outputs: [uniform 20000]
  - name: Stage_2
    tasks: 1
    length: uniform 32
    inputsPerTask: 20
    mapping: combination Stage_1.Output_1 20
    outputs: [uniform 1048576]
`;
    const a = loadSkeletonText(demo);
    const b = loadSkeletonText(yaml);
    const c = loadSkeletonText(
      JSON.stringify({
        stages: [{ name: "Stage_1", tasks: 2, length: "uniform 5", outputs: ["uniform 1"] }],
      }),
    );
    if (!a.ok || !b.ok || !c.ok) throw new Error("load failed");
    expect(b.format).toBe("structured");
    expect(emitShell(b.expanded, "2014")).toBe(emitShell(a.expanded, "2014"));
    expect(c.workload.tasks.map((t) => t.id)).toEqual(["Stage_1_0", "Stage_1_1"]);
  });

  it("gives YAML errors at the field's line", () => {
    const r = loadSkeletonText("stages:\n  - name: Stage_1\n    tasks: 0\n    length: uniform 1\n");
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toMatchObject({ line: 3, message: expect.stringMatching(/stages.0.tasks/) });
  });

  it("draws random distributions from the seed: same seed, same workload; negatives clamped and reported", () => {
    const text = demo.replace("Task_Length = uniform 10", "Task_Length = normal [1, 5]");
    const a = loadSkeletonText(text, { seed: 7 });
    const b = loadSkeletonText(text, { seed: 7 });
    const c = loadSkeletonText(text, { seed: 8 });
    if (!a.ok || !b.ok || !c.ok) throw new Error("load failed");
    expect(a.workload.tasks.map((t) => t.length)).toEqual(b.workload.tasks.map((t) => t.length));
    expect(a.workload.tasks.map((t) => t.length)).not.toEqual(c.workload.tasks.map((t) => t.length));
    expect(a.workload.tasks.every((t) => t.length >= 0)).toBe(true);
    expect(
      a.workload.warnings.some(
        (w) => w.code === "NEGATIVE_DRAW_CLAMPED" && /Stage_1 Task_Length/.test(w.message),
      ),
    ).toBe(true);
  });

  it("rejects the manual's bag listing naming the out-of-order key and its line", () => {
    const r = loadSkeletonText(readFileSync(path.join(FIX, "Skeleton-report_lst-bag.input"), "utf8"));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]).toMatchObject({ line: 6, expected: "Task_Length" });
      expect(r.errors[0]?.message).toMatch(/found `Num_Processes`/);
    }
  });

  it("accepts the legacy 2013 format with an explanation and refuses external mappings", () => {
    const legacy = loadSkeletonText(
      readFileSync(path.join(FIX, "Skeleton-MTAGS2013_lst-sample.input"), "utf8"),
    );
    expect(legacy.ok && legacy.legacy).toBe(true);
    expect(legacy.warnings[0]).toMatchObject({ line: 1, column: 1 });
    expect(legacy.warnings[0]?.message).toMatch(/legacy 2013 skeleton format/);
    const ext = loadSkeletonText(
      demo.replace(
        "Input_Task_Mapping = combination Stage_1.Output_1 20",
        "Input_Task_Mapping = external ./map.sh",
      ),
    );
    expect(!ext.ok && ext.errors[0]?.message).toMatch(/which EManager does not run/);
  });

  it("reads unit suffixes (10s, 1048576B) as numbers", () => {
    const text = readFileSync(path.join(FIX, "Skeleton-report_lst-exmapper.input"), "utf8").replace(
      /Input_Task_Mapping = external \S+/,
      "Input_Task_Mapping = combination Stage_1.Output_1 2",
    );
    const r = loadSkeletonText(text);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.workload.tasks[0]).toMatchObject({
      length: 10,
      inputs: [{ size: 1048576 }, { size: 1048576 }],
      outputs: [{ size: 1048576 }],
    });
    const ext = loadSkeletonText(readFileSync(path.join(FIX, "Skeleton-report_lst-exmapper.input"), "utf8"));
    expect(!ext.ok && ext.errors.length).toBe(1);
  });

  it("refuses a skeleton that would expand past the task limit, naming the stage", () => {
    const r = loadSkeletonText(demo.replace("Num_Tasks = 20", "Num_Tasks = 2000000"));
    expect(!r.ok && r.errors[0]).toMatchObject({
      line: 5,
      message: expect.stringMatching(/`Num_Tasks` must be between 1 and 1000000 \(got 2000000\)/),
    });
    const two = loadSkeletonText(
      skeletonText([
        { name: "Stage_1", tasks: 600_000 },
        { name: "Stage_2", tasks: 600_000 },
      ]),
    );
    expect(!two.ok && two.errors[0]).toMatchObject({
      line: 15,
      message: expect.stringMatching(/more than 1,000,000 tasks at Stage_2/),
    });
  });
});
