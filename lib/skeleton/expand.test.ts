import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emitSetup, emitShell } from "./emit";
import { dirOf, expandSkeleton, type Expanded } from "./expand";
import { combinationsForTasks } from "./mapping";
import { parseAimes } from "./parse";
import { skeletonText, type StageText } from "./test-helpers";

const FS = ["Source = filesystem", "Size = uniform 1048576"];

function expand(stages: StageText[], opts: Parameters<typeof expandSkeleton>[1] = {}): Expanded {
  const p = parseAimes(skeletonText(stages));
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const x = expandSkeleton(p.skeleton, opts);
  if (!x.ok) throw new Error(JSON.stringify(x.errors));
  return x.expanded;
}

const inputsOf = (x: Expanded, stage: string) =>
  x.stages.find((s) => s.name === stage)!.tasks.map((t) => t.inputs.map((f) => f.name));

describe("iteration unrolling", () => {
  // Skeleton's sample-input/multiple-stage-iterative.input: Stage_3 and Stage_4 iterate 3 times together
  const stages: StageText[] = [
    { name: "Stage_1", inputs: [FS, FS] },
    { name: "Stage_2", tasks: 6, inputsPerTask: 2, mapping: "combination Stage_1.Output_1 2" },
    {
      name: "Stage_3",
      tasks: 6,
      inputs: [["Source = Stage_2.Output_1"]],
      iteration: [3, "Stage_3, Stage_4", "Stage_3.Input_1, Stage_4.Output_1"],
    },
    { name: "Stage_4", tasks: 6, inputs: [["Source = Stage_3.Output_1"]] },
    { name: "Stage_5", tasks: 1, inputsPerTask: 6, mapping: "combination Stage_4.Output_1 6" },
  ];

  it("unrolls a two-stage group, the last iteration keeping the names, each copy reading the right one", () => {
    const x = expand(stages);
    expect(x.stages.map((s) => [s.name, s.sourceTexts[0] ?? "", s.copied])).toEqual([
      ["Stage_1", "filesystem", false],
      ["Stage_2", "", false],
      ["Stage_3_Iter_1", "Stage_2.Output_1", true],
      ["Stage_4_Iter_1", "Stage_3_Iter_1.Output_1", true],
      ["Stage_3_Iter_2", "Stage_4_Iter_1.Output_1", true],
      ["Stage_4_Iter_2", "Stage_3_Iter_2.Output_1", true],
      ["Stage_3", "Stage_4_Iter_2.Output_1", true],
      ["Stage_4", "Stage_3.Output_1", true],
      ["Stage_5", "", false],
    ]);
    expect(x.stages.reduce((n, s) => n + s.tasks.length, 0)).toBe(4 + 6 + 6 * 2 * 3 + 1);
    expect(inputsOf(x, "Stage_5")[0]).toEqual([
      "Stage_4_Output_0_1",
      "Stage_4_Output_0_2",
      "Stage_4_Output_0_3",
      "Stage_4_Output_0_4",
      "Stage_4_Output_0_5",
      "Stage_4_Output_0_6",
    ]);
    expect(x.stages[2]?.outputdir).toEqual(["Stage_3_Iter_1_Output"]);
  });

  it("renames the filesystem inputs of an iterating first stage (single-stage-iterative)", () => {
    const x = expand([
      { name: "Stage_1", inputs: [FS], iteration: [3, "Stage_1", "Stage_1.Input_1, Stage_1.Output_1"] },
    ]);
    expect(emitSetup(x).split("\n")[0]).toBe("mkdir -p Stage_1_Iter_1_Input");
    expect(inputsOf(x, "Stage_1_Iter_2")[0]).toEqual(["Stage_1_Iter_1_Output_0_1"]);
  });

  it("lets the middle stage of a three-stage group read its own iteration (the original crashed)", () => {
    const x = expand([
      {
        name: "Stage_1",
        inputs: [FS],
        iteration: [2, "Stage_1, Stage_2, Stage_3", "Stage_1.Input_1, Stage_3.Output_1"],
      },
      { name: "Stage_2", inputs: [["Source = Stage_1.Output_1"]] },
      { name: "Stage_3", inputs: [["Source = Stage_2.Output_1"]] },
    ]);
    expect(x.stages.map((s) => `${s.name}<${s.sourceTexts[0]}`)).toEqual([
      "Stage_1_Iter_1<filesystem",
      "Stage_2_Iter_1<Stage_1_Iter_1.Output_1",
      "Stage_3_Iter_1<Stage_2_Iter_1.Output_1",
      "Stage_1<Stage_3_Iter_1.Output_1",
      "Stage_2<Stage_1.Output_1",
      "Stage_3<Stage_2.Output_1",
    ]);
  });
});

describe("input mappings", () => {
  const mapReduce: StageText[] = [
    { name: "Stage_1", inputs: [FS] },
    { name: "Stage_2", tasks: 2, inputs: [["Source = Stage_1.Output_1"], ["Source = Stage_1.Output_1"]] },
  ];

  it("direct references: 2014 gives slot p of task t file t·n_in + p, 2017 gives every slot file t·n_in", () => {
    expect(inputsOf(expand(mapReduce, { compat: "2014" }), "Stage_2")).toEqual([
      ["Stage_1_Output_0_1", "Stage_1_Output_0_2"],
      ["Stage_1_Output_0_3", "Stage_1_Output_0_4"],
    ]);
    expect(inputsOf(expand(mapReduce, { compat: "2017" }), "Stage_2")).toEqual([
      ["Stage_1_Output_0_1", "Stage_1_Output_0_1"],
      ["Stage_1_Output_0_3", "Stage_1_Output_0_3"],
    ]);
  });

  it("2014 counts only the referenced slots before this one (filesystem slots do not move the pointer)", () => {
    const x = expand([
      { name: "Stage_1" },
      { name: "Stage_2", tasks: 2, inputs: [FS, ["Source = Stage_1.Output_1"]] },
    ]);
    expect(inputsOf(x, "Stage_2")).toEqual([
      ["Stage_2_Input_0_1", "Stage_1_Output_0_1"],
      ["Stage_2_Input_0_2", "Stage_1_Output_0_3"],
    ]);
  });

  it("wraps around past the producer's files, with a warning instead of the original's IndexError", () => {
    const x = expand([
      { name: "Stage_1", tasks: 2 },
      { name: "Stage_2", tasks: 3, inputs: [["Source = Stage_1.Output_1"]] },
    ]);
    expect(inputsOf(x, "Stage_2").flat()).toEqual([
      "Stage_1_Output_0_1",
      "Stage_1_Output_0_2",
      "Stage_1_Output_0_1",
    ]);
    expect(x.warnings).toMatchObject([
      {
        line: 23,
        message: expect.stringMatching(/1 of its 3 task\(s\) index past the 2 file\(s\) and wrap around/),
      },
    ]);
  });

  it("combination: lexicographic, task t takes combination t mod C(n, m), overriding Input_Files_Each_Task", () => {
    const x = expand([
      { name: "Stage_1" },
      { name: "Stage_2", tasks: 8, inputsPerTask: 1, mapping: "combination Stage_1.Output_1 2" },
    ]);
    const pairs = inputsOf(x, "Stage_2").map((l) => l.map((n) => n.slice(-1)).join(""));
    expect(pairs).toEqual(["12", "13", "14", "23", "24", "34", "12", "13"]);
  });

  it("combinationsForTasks equals itertools.combinations taken t mod C(n, m)", () => {
    const naive = (n: number, m: number): number[][] =>
      m === 0
        ? [[]]
        : n < m
          ? []
          : [...naive(n - 1, m - 1).map((c) => [...c, n - 1]), ...naive(n - 1, m)].sort((a, b) =>
              a.join(",").localeCompare(b.join(","), "en", { numeric: true }),
            );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 40 }),
        (n, m, tasks) => {
          fc.pre(m <= n);
          const files = Array.from({ length: n }, (_, i) => i);
          const all = naive(n, m);
          expect(combinationsForTasks(files, m, tasks)).toEqual(
            Array.from({ length: tasks }, (_, t) => all[t % all.length]),
          );
        },
      ),
    );
  });

  it("external: takes the script's output as data, one line per task, and explains what is missing", () => {
    const stages: StageText[] = [
      { name: "Stage_1", inputs: [FS, FS] },
      { name: "Stage_2", tasks: 2, inputsPerTask: 2, mapping: "external sample-input/mapping.sh" },
    ];
    const out =
      "Stage_1_Output_0_1 Stage_1_Output_0_2\nStage_1_Output_0_3 Stage_1_Input_1_4\nextra line ignored\n";
    const x = expand(stages, { external: { "sample-input/mapping.sh": out } });
    expect(inputsOf(x, "Stage_2")).toEqual([
      ["Stage_1_Output_0_1", "Stage_1_Output_0_2"],
      ["Stage_1_Output_0_3", "Stage_1_Input_1_4"],
    ]);
    expect(emitShell(x).split("\n")[5]).toContain(
      "Stage_1_Output/Stage_1_Output_0_3 Stage_1_Output/Stage_1_Input_1_4",
    );
    expect(x.warnings[0]?.message).toMatch(/1 input file\(s\) are not in the directory of task 0's file/);
    const p = parseAimes(skeletonText(stages));
    if (!p.ok) throw new Error("parse");
    const none = expandSkeleton(p.skeleton);
    expect(!none.ok && none.errors[0]?.message).toMatch(
      /EManager does not run.*--external Stage_2=OUTPUT.txt/,
    );
    const short = expandSkeleton(p.skeleton, { external: { Stage_2: "Stage_1_Output_0_1" } });
    expect(!short.ok && short.errors[0]?.message).toMatch(
      /the mapping has 1 line\(s\) but the stage has 2 task\(s\)/,
    );
    const unknown = expandSkeleton(p.skeleton, {
      external: { Stage_2: "Stage_9_Output_0_1\nStage_1_Output_0_1" },
    });
    expect(!unknown.ok && unknown.errors[0]?.message).toMatch(
      /Stage_9_Output_0_1 are not files of an earlier stage/,
    );
  });
});

describe("lengths, sizes and directories", () => {
  it("evaluates polynomials of an input size and of the length (Skeleton_polynomial: 250 s, 625000 B)", () => {
    const x = expand([
      {
        name: "Stage_1",
        tasks: 1,
        inputs: [["Source = filesystem", "Size = uniform 5"]],
        length: "polynomial [10, 2] Input_1",
        outputs: ["polynomial [10, 2] Length"],
      },
    ]);
    expect(emitShell(x)).toBe(
      "task serial 1 250 65536 65536 1 1 0 Stage_1_Input/Stage_1_Input_0_1 Stage_1_Output/Stage_1_Output_0_1 625000\n",
    );
  });

  it("prints random draws as %.2f with the unit, from the seed: same seed, same values", () => {
    const stages: StageText[] = [
      { name: "Stage_1", tasks: 50, length: "normal [10, 2]s", outputs: ["triangular [100, 200]B"] },
    ];
    const a = expand(stages, { seed: 7 });
    const lengths = a.stages[0]!.tasks.map((t) => t.lengthText);
    expect(lengths.every((l) => /^\d+\.\d\ds$/.test(l))).toBe(true);
    expect(expand(stages, { seed: 7 }).stages[0]!.tasks.map((t) => t.lengthText)).toEqual(lengths);
    expect(expand(stages, { seed: 8 }).stages[0]!.tasks.map((t) => t.lengthText)).not.toEqual(lengths);
  });

  it("keeps the draws of one stage when another stage's distribution changes", () => {
    const one = expand(
      [
        { name: "Stage_1", length: "normal [10, 2]" },
        { name: "Stage_2", length: "uniform 5" },
      ],
      { seed: 3 },
    );
    const two = expand(
      [
        { name: "Stage_1", length: "normal [10, 2]" },
        { name: "Stage_2", length: "gauss [50, 9]" },
      ],
      { seed: 3 },
    );
    expect(two.stages[0]!.tasks.map((t) => t.lengthText)).toEqual(
      one.stages[0]!.tasks.map((t) => t.lengthText),
    );
  });

  it("clamps negative draws to 0 and reports them once per field, at its line", () => {
    const x = expand([{ name: "Stage_1", tasks: 200, length: "normal [1, 5]" }], { seed: 1 });
    expect(x.stages[0]!.tasks.some((t) => t.lengthText === "0.00")).toBe(true);
    expect(x.warnings).toHaveLength(1);
    expect(x.warnings[0]).toMatchObject({
      code: "NEGATIVE_DRAW_CLAMPED",
      line: 6,
      message: expect.stringMatching(
        /^Stage_1 Task_Length \(normal \[1, 5\]\): \d+ of 200 draw\(s\) were negative/,
      ),
    });
  });

  it("derives directories as setdir did: 3 words of the file name, 5 once iterations make it longer", () => {
    expect(dirOf("Stage_1_Input_0_1")).toBe("Stage_1_Input");
    expect(dirOf("Stage_3_Iter_1_Output_0_12")).toBe("Stage_3_Iter_1_Output");
    expect(dirOf("Bag_Input_0_1")).toBe("Bag_Input_0");
  });
});
