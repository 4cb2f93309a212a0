import { describe, expect, it } from "vitest";
import { emitSetup, emitShell } from "./emit";
import { emitJson } from "./emit-json";
import { MAX_FILE_REFS, MAX_STAGES, MAX_TASKS } from "./limits";
import { loadSkeletonText } from "./load";
import { externalLines } from "./mapping";
import { parseStructured } from "./structured";
import { iteratedSkeleton, skeletonText } from "./test-helpers";
import type { SkeletonError } from "./types";

// Issue 13: every count, and every product of counts, is refused before anything is built.
function refused(text: string, fileName = "x.conf"): { errors: SkeletonError[]; ms: number } {
  const t0 = performance.now();
  const r = loadSkeletonText(text, { fileName });
  const ms = performance.now() - t0;
  if (r.ok) throw new Error("expected the skeleton to be refused");
  return { errors: r.errors, ms };
}

const lineOf = (text: string, prefix: string) =>
  text.split("\n").findIndex((l) => l.trimStart().startsWith(prefix)) + 1;

describe("counts are bounded before expansion", () => {
  it("refuses Iteration_Num = 10000000 at its line, in well under a second", () => {
    const text = iteratedSkeleton(10_000_000);
    const { errors, ms } = refused(text);
    expect(errors[0]).toMatchObject({
      line: lineOf(text, "Iteration_Num"),
      column: 17,
      message: expect.stringMatching(/`Iteration_Num` must be between 1 and 10000 \(got 10000000\)/),
    });
    expect(ms).toBeLessThan(1000);
  });

  it("refuses the product iterations × tasks of the group at the Iteration_Num line, before unrolling", () => {
    const text = iteratedSkeleton(5_000, 200); // 5,000 × 2 stages × 200 tasks = 2,000,000 tasks
    const { errors, ms } = refused(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      line: lineOf(text, "Iteration_Num"),
      message: expect.stringMatching(
        /more than 1,000,000 tasks at Stage_1 \(Iteration_Num 5000 × 2 stage\(s\) of 400 task\(s\)\)/,
      ),
    });
    expect(ms).toBeLessThan(1000);
  });

  it("refuses more than MAX_STAGES stages after unrolling", () => {
    const text = iteratedSkeleton(MAX_STAGES / 2 + 1);
    expect(refused(text).errors[0]).toMatchObject({
      line: lineOf(text, "Iteration_Num"),
      message: expect.stringMatching(/more than 10,000 stages/),
    });
    const many = Array.from({ length: MAX_STAGES + 1 }, (_, i) => ({ name: `Stage_${i + 1}`, tasks: 1 }));
    const { errors, ms } = refused(skeletonText(many));
    expect(errors[0]?.message).toMatch(/more than 10,000 stages at Stage_10001/);
    expect(ms).toBeLessThan(5000);
  });

  it("refuses a huge Num_Tasks at its line, and a total over MAX_TASKS at the stage that passes it", () => {
    const huge = skeletonText([{ name: "Stage_1", tasks: 1e12 }]);
    expect(refused(huge).errors[0]).toMatchObject({
      line: lineOf(huge, "Num_Tasks"),
      column: 17,
      message: expect.stringMatching(/between 1 and 1000000 \(got 1000000000000\)/),
    });
    expect(
      refused(
        skeletonText([
          { name: "Stage_1", tasks: MAX_TASKS },
          { name: "Stage_2", tasks: 1 },
        ]),
      ).errors[0]?.message,
    ).toMatch(/more than 1,000,000 tasks at Stage_2/);
  });

  it("refuses tasks × files per task over MAX_FILE_REFS, inputs and outputs alike", () => {
    const outputs = Array.from({ length: 50 }, () => "uniform 1");
    const text = skeletonText([{ name: "Stage_1", tasks: MAX_FILE_REFS / 50 + 1, outputs }]);
    const { errors, ms } = refused(text);
    expect(errors[0]).toMatchObject({
      line: lineOf(text, "Stage_Name"),
      message: expect.stringMatching(/more than 2,000,000 input and output files at Stage_1/),
    });
    expect(ms).toBeLessThan(1000);
    const combined = skeletonText([
      { name: "Stage_1", tasks: 1000 },
      { name: "Stage_2", tasks: 100_000, inputsPerTask: 20, mapping: "combination Stage_1.Output_1 20" },
    ]);
    expect(refused(combined).errors[0]?.message).toMatch(
      /more than 2,000,000 input and output files at Stage_2/,
    );
  });

  it("bounds the JSON/YAML form and the 2013 form the same way", () => {
    const yaml = `stages:\n  - name: Stage_1\n    tasks: 2000000\n    length: uniform 1\n  - name: Stage_2\n    tasks: 1\n    length: uniform 1\n    iteration: { num: 10000000, stages: [Stage_2], substitute: "Stage_2.Input_1, Stage_1.Output_1" }\n`;
    const r = parseStructured(yaml);
    expect(!r.ok && r.errors.map((e) => [e.line, e.message])).toEqual([
      [3, expect.stringMatching(/^stages\.0\.tasks: .*1000000/)],
      [8, expect.stringMatching(/^stages\.1\.iteration\.num: .*10000/)],
    ]);
    const legacy =
      "Num_Stage = 1\nStage_Name = Stage_1\nNum_Tasks = 5000000\nTask_Length = uniform 1\nInput_Source = filesystem\nInput_Files_Each_Task = 1\nTasks_Each_Input_File = 1\nInput_File_Size = uniform 1\nOutput_Files_Each_Task = 1000000000\nOutput_File_Size = uniform 1\n";
    const { errors, ms } = refused(legacy);
    expect(errors.map((e) => e.line)).toEqual([3, 9]);
    expect(errors[1]?.message).toMatch(/from 0 to 100000/);
    expect(ms).toBeLessThan(1000);
  });

  it("still expands a skeleton just inside every limit", () => {
    const r = loadSkeletonText(iteratedSkeleton(MAX_STAGES / 2, 1));
    expect(r.ok && r.expanded.stages.length).toBe(MAX_STAGES);
  });
});

describe("sizes and lengths out of range", () => {
  const withValues = (input: string, length = "uniform 10", output = "uniform 1048576") =>
    skeletonText([
      {
        name: "Stage_1",
        tasks: 2,
        length,
        inputs: [["Source = filesystem", `Size = ${input}`]],
        outputs: [output],
      },
    ]);

  it("refuses a negative file size at its line: it never reaches dd as bs='-1048576'", () => {
    const text = withValues("uniform -1048576");
    const { errors } = refused(text);
    expect(errors[0]).toMatchObject({
      line: lineOf(text, "Input_1.Size"),
      message: expect.stringMatching(/a file size cannot be negative/),
    });
    const out = refused(withValues("uniform 1", "uniform 10", "uniform -5")).errors[0];
    expect(out?.message).toMatch(/uniform -5: a file size cannot be negative/);
  });

  it("refuses 1e308, 1e999, NaN and sizes beyond 1 PiB; lengths beyond ten years unless counted in FLOPs", () => {
    for (const v of [
      "uniform 1e308",
      "uniform 1e999",
      "uniform NaN",
      "uniform 2e15",
      "normal [99999999999999999999, 1]",
      "lognorm [40, 1]",
      "triangular [1, 9999999999999999]",
    ]) {
      const text = withValues(v);
      expect(refused(text).errors[0], v).toMatchObject({ line: lineOf(text, "Input_1.Size") });
    }
    const long = withValues("uniform 1", "uniform 1e12");
    expect(refused(long).errors[0]).toMatchObject({
      line: lineOf(long, "Task_Length"),
      message: expect.stringMatching(/a task length may be at most 315,360,000/),
    });
    const flops = skeletonText([{ name: "Stage_1", mode: "flops", length: "uniform 1715750072310" }]);
    expect(loadSkeletonText(flops).ok).toBe(true);
  });

  it("refuses random draws and polynomials that exceed the limit when drawn, at the field's line", () => {
    const text = withValues("uniform 1", "uniform 10", "lognorm [34, 2]");
    expect(refused(text).errors[0]).toMatchObject({
      line: lineOf(text, "Output_1.Size"),
      message: expect.stringMatching(/value\(s\) are above the limit of 1,125,899,906,842,624/),
    });
    const poly = withValues("uniform 1048576", "uniform 10", "polynomial [1, 3] Input_1");
    expect(refused(poly).errors[0]?.message).toMatch(
      /Output_1.Size \(polynomial \[1, 3\] Input_1\): 2 value\(s\) are above the limit/,
    );
  });

  it("warns at its line about a negative constant length (taken as 0) and keeps the shell output as the original", () => {
    const text = withValues("uniform 1", "uniform -5");
    const r = loadSkeletonText(text);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings[0]).toMatchObject({
      line: lineOf(text, "Task_Length"),
      column: 19,
      message: "uniform -5: a negative task length is taken as 0",
    });
    expect(r.workload.tasks[0]?.length).toBe(0);
    // the workload's warnings (what the skeleton page and the run record show) carry the place in their text
    expect(r.workload.warnings[0]?.message).toBe(
      `line ${lineOf(text, "Task_Length")}, column 19: uniform -5: a negative task length is taken as 0`,
    );
    expect(emitSetup(r.expanded)).not.toMatch(/bs='-/);
  });
});

describe("control bytes from the file", () => {
  const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
  it("are escaped in every error and warning, and refused where they stand", () => {
    const text = skeletonText([{ name: "Stage_1" }])
      .replace("Stage_Name = Stage_1", "Stage_Name = Stage_1\x1b[31m")
      .replace("Task_Type = serial", "Task_Type = ser\x1b[2Jial\r\x07")
      .replace("Num_Tasks = 4", "Num_Tasks = 4\x9b6n");
    const r = loadSkeletonText(text);
    if (r.ok) throw new Error("expected errors");
    const all = [...r.errors.map((e) => e.message + (e.expected ?? "")), ...r.warnings.map((w) => w.message)];
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const m of all) expect(m).not.toMatch(CONTROL);
    expect(r.errors[0]).toMatchObject({
      line: 3,
      column: 21,
      message: expect.stringContaining("control character \\x1b in `Stage_Name = Stage_1\\x1b[31m`"),
    });
    expect(r.warnings.some((w) => w.message.includes("`Stage_1\\x1b[31m`"))).toBe(true);
    expect(r.errors.some((e) => e.message.includes("\\x9b"))).toBe(true);
  });
  it("are quoted at most 1,000 characters at a time, however long the line", () => {
    const text = skeletonText([{ name: "Stage_1" }]).replace(
      "Num_Tasks = 4",
      `Num_Tasks = ${"9".repeat(200_000)}`,
    );
    const r = loadSkeletonText(text);
    expect(!r.ok && r.errors[0]?.message).toMatch(
      /^`Num_Tasks` must be between 1 and 1000000 \(got 9{900,}… \(\d+ more characters\)$/,
    );
    expect(!r.ok && r.errors[0]!.message.length).toBeLessThan(1100);
  });
  it("are refused in the task type of the JSON/YAML form", () => {
    const r = parseStructured(
      JSON.stringify({
        stages: [{ name: "Stage_1", type: "serial\u001b[2J", tasks: 1, length: "uniform 1" }],
      }),
    );
    expect(!r.ok && r.errors[0]?.message).toMatch(
      /stages\.0\.type: a task type may not hold control characters/,
    );
  });
});

describe("the emitters", () => {
  it("give the same text chunked as whole for a stage larger than one chunk", () => {
    const r = loadSkeletonText(
      skeletonText([
        { name: "Stage_1", tasks: 3000, inputs: [["Source = filesystem", "Size = normal [1048576, 1000]"]] },
        { name: "Stage_2", tasks: 3000, inputs: [["Source = Stage_1.Output_1"]] },
      ]),
      { seed: 3 },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const shell = emitShell(r.expanded);
    expect(shell.split("\n")).toHaveLength(6001);
    expect(shell.split("\n")[5999]).toBe(
      "task serial 1 10 65536 65536 1 1 0 Stage_1_Output/Stage_1_Output_0_3000 Stage_2_Output/Stage_2_Output_0_3000 1048576",
    );
    expect(emitSetup(r.expanded).split("\n")).toHaveLength(3 + 3000 + 1);
    const json = emitJson(r.expanded);
    expect(JSON.parse(json.replaceAll(" : ", ":"))).toMatchObject({
      class: "Application",
      num_stage: 2,
      stagelist: [{ num_tasks: 3000 }, { num_tasks: 3000 }],
    });
  });
});

describe("external mappings", () => {
  it("refuse a mapping file that names more files than a task or a skeleton may read", () => {
    expect(externalLines("a b\nc\n", 2)).toEqual({ ok: true, lines: [["a", "b"], ["c"]] });
    expect(externalLines(Array.from({ length: 100_001 }, (_, i) => `f${i}`).join(" "), 1)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/line 1 of the mapping names 100001 files/),
    });
    const wide = Array.from({ length: 50_000 }, (_, i) => `f${i}`).join(" ");
    expect(externalLines(Array.from({ length: 41 }, () => wide).join("\n"), 41)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/more than 2,000,000 input files/),
    });
  });
});
