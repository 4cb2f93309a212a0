import { describe, expect, it } from "vitest";
import { parseAimes } from "./parse";
import { fixture, skeletonText } from "./test-helpers";

const demo = fixture("emanager_skeleton_demo_SC2014.conf");

function errorsOf(text: string) {
  const r = parseAimes(text);
  if (r.ok) throw new Error("expected errors");
  return r.errors;
}

function warningsOf(text: string) {
  const r = parseAimes(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.warnings;
}

describe("parseAimes: the 2014/2017 grammar", () => {
  it("reads the SC2014 demo into its two stages, keeping the printed strings", () => {
    const r = parseAimes(demo);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const [s1, s2] = r.skeleton.stages;
    expect(r.skeleton.numStage).toBe(2);
    expect(s1).toMatchObject({
      name: "Stage_1",
      taskType: "serial",
      taskMode: null,
      numTasks: 20,
      processes: "1",
      readBuf: "65536",
      inputsText: "1",
      interleave: "0",
      iteration: null,
    });
    expect(s1?.length).toEqual({ kind: "uniform", text: "10", value: 10 });
    expect(s1?.inputs[0]).toMatchObject({
      source: { kind: "filesystem" },
      sourceText: "filesystem",
      size: { kind: "uniform", text: "1048576" },
    });
    expect(s2?.inputs).toHaveLength(20);
    expect(s2?.inputs.every((i) => i.source.kind === "blank")).toBe(true);
    expect(s2?.mapping).toMatchObject({
      kind: "combination",
      from: { stage: "Stage_1", io: "Output", slot: 1 },
      m: 20,
      text: "Stage_1.Output_1 20",
      at: { line: 25 },
    });
    expect(r.warnings).toEqual([]);
  });

  it("rejects the manual's bag listing at the out-of-order key, naming both keys and lines", () => {
    const errors = errorsOf(fixture("Skeleton-report_lst-bag.input"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 6, column: 5, expected: "Task_Length" });
    expect(errors[0]?.message).toMatch(
      /^expected `Task_Length` here but found `Num_Processes` \(`Task_Length` is at line 7\)/,
    );
  });

  it("collects the errors of several stages in one pass instead of stopping at the first", () => {
    const text = skeletonText([
      { name: "Stage_1", tasks: 4, length: "normal [10,1]", inputs: [["Source = filesystem"]] },
      { name: "Stage_2", length: "uniform 5", inputs: [["Source = Stage_1.output_1"]] },
    ]).replace("Read_Buffer = 65536", "Read_Buffer = lots");
    const errors = errorsOf(text);
    expect(errors.map((e) => e.line)).toEqual([6, 8, 11, 24]);
    expect(errors[0]?.message).toMatch(/a comma and exactly one space, as in `normal \[10, 2\]`/);
    expect(errors[1]?.message).toMatch(/`Read_Buffer` must be a whole number/);
    expect(errors[2]?.message).toMatch(/Input_1 comes from the filesystem, so it needs an `Input_1.Size`/);
    expect(errors[3]?.message).toMatch(/capital letter/);
  });

  it("follows the original's comment rule, and accepts TABs, CRLF and a BOM", () => {
    expect(
      warningsOf(
        `\uFEFF# a comment\r\n#Another\r\n${demo.replace(/\n/g, "\r\n").replace("    Num_Tasks", "\t\tNum_Tasks")}`,
      ),
    ).toEqual([]);
    const errors = errorsOf(demo.replace("Stage_Name = Stage_2", "# ---\nStage_Name = Stage_2"));
    expect(errors[0]).toMatchObject({ line: 17, column: 1, expected: "# text" });
    expect(errors[0]?.message).toMatch(/a comment needs a word right after the `#`/);
  });

  it("reads leading digits as the original did and warns about the rest", () => {
    const w = warningsOf(demo.replace("Num_Tasks = 20", "Num_Tasks = 20 tasks"));
    expect(w).toMatchObject([
      {
        line: 5,
        message: expect.stringMatching(
          /read as 20: the original read the leading digits and ignored `tasks`/,
        ),
      },
    ]);
  });

  it("explains unknown, misspelt, repeated and 2013-format keys", () => {
    const text = demo
      .replace("Num_Processes = 1", "Num_Process = 1")
      .replace(
        "Write_Buffer = 65536\n    Input_Files_Each_Task = 1",
        "Write_Buffer = 65536\n    Write_Buffer = 65536\n    Input_Files_Each_Task = 1",
      )
      .replace("Output_1.Size = uniform 1048576", "Output_File_Size = uniform 1048576");
    const messages = errorsOf(text).map((e) => `${e.line}: ${e.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^7: unknown key `Num_Process` \(did you mean `Num_Processes`\?\)$/),
      expect.stringMatching(
        /^8: expected `Num_Processes` here but found `Read_Buffer`: `Num_Processes` is missing$/,
      ),
      expect.stringMatching(/^10: `Write_Buffer` appears twice in this stage \(first at line 9\)$/),
      expect.stringMatching(
        /^28: `Output_File_Size` belongs to the 2013 skeleton format, .*its own `Output_j.Size` line/,
      ),
      expect.stringMatching(
        /^29: expected `Output_1.Size` here but found `Interleave_Option`: `Output_1.Size` is missing$/,
      ),
    ]);
  });

  it("checks Num_Stage against the blocks: too few is an error, extra blocks are ignored with a warning", () => {
    expect(errorsOf(demo.replace("Num_Stage = 2", "Num_Stage = 3"))[0]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/Num_Stage is 3 but the file has 2 stage block/),
    });
    const r = parseAimes(
      demo.replace("Num_Stage = 2", "Num_Stage = 1").replace("Stage_1.Output_1 20", "Stage_1.Output_1 1"),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.skeleton.stages).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({
      line: 17,
      message: expect.stringMatching(/ignored, as the original ignored them/),
    });
    expect(errorsOf("Task_Type = serial\n")[0]?.message).toMatch(
      /must start with the number of stages, such as `Num_Stage = 2`/,
    );
    expect(errorsOf("")[0]?.message).toMatch(/the file is empty/);
  });

  it("accepts Task_Mode (2017) and skipped input slots, and rejects a slot beyond the count", () => {
    const r = parseAimes(
      skeletonText([
        {
          name: "Stage_1",
          mode: "flops",
          inputs: [[], ["Source = filesystem", "Size = uniform 1"]],
          inputsPerTask: 2,
        },
      ]),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.skeleton.stages[0]?.taskMode).toBe("flops");
    expect(r.skeleton.stages[0]?.inputs.map((i) => i.source.kind)).toEqual(["blank", "filesystem"]);
    expect(errorsOf(skeletonText([{ name: "Stage_1", mode: "fast" }]))[0]?.message).toMatch(
      /Task_Mode must be `time` or `flops`/,
    );
    const beyond = skeletonText([
      {
        name: "Stage_1",
        inputs: [
          ["Source = filesystem", "Size = uniform 1"],
          ["Source = filesystem", "Size = uniform 1"],
        ],
        inputsPerTask: 1,
      },
    ]);
    expect(errorsOf(beyond)[0]?.message).toMatch(/Input_Files_Each_Task is 1, so there is no slot 2/);
  });

  it("names template placeholders", () => {
    const errors = errorsOf(fixture("aimes.emgr_skeleton.template"));
    expect(errors.map((e) => e.line)).toEqual([5, 6]);
    expect(errors[0]?.message).toMatch(/`\$\{SCALE\}` is a template placeholder/);
  });
});

describe("parseAimes: checks across stages", () => {
  it("refuses references to later or unknown stages and to missing slots", () => {
    const later = skeletonText([
      { name: "Stage_1", inputs: [["Source = Stage_2.Output_1"]] },
      { name: "Stage_2" },
    ]);
    expect(errorsOf(later)[0]).toMatchObject({
      line: 11,
      message: expect.stringMatching(/Stage_2, which comes later/),
    });
    const slot = skeletonText([
      { name: "Stage_1" },
      { name: "Stage_2", inputs: [["Source = Stage_1.Output_2"]] },
    ]);
    expect(errorsOf(slot)[0]?.message).toMatch(/the tasks of Stage_1 have 1 output file/);
  });

  it("refuses an empty combination and a polynomial of an input the tasks do not have", () => {
    const empty = skeletonText([
      { name: "Stage_1" },
      { name: "Stage_2", inputsPerTask: 5, mapping: "combination Stage_1.Output_1 5" },
    ]);
    expect(errorsOf(empty)[0]?.message).toMatch(
      /combination of 5 out of 4 file\(s\) of Stage_1.Output_1 is empty/,
    );
    const poly = skeletonText([
      {
        name: "Stage_1",
        inputs: [["Source = filesystem", "Size = uniform 5"]],
        length: "polynomial [10, 2] Input_2",
      },
    ]);
    expect(errorsOf(poly)[0]?.message).toMatch(/polynomial of Input_2, but its tasks have 1 input file/);
  });

  it("checks iteration groups: the stage itself, the next blocks, the substitute's stage", () => {
    const notSelf = skeletonText([
      {
        name: "Stage_1",
        inputs: [["Source = filesystem", "Size = uniform 1"]],
        iteration: [3, "Stage_2", "Stage_1.Input_1, Stage_1.Output_1"],
      },
    ]);
    expect(errorsOf(notSelf)[0]?.message).toMatch(/must list Stage_1 itself/);
    const byPosition = skeletonText([
      {
        name: "Stage_1",
        inputs: [["Source = filesystem", "Size = uniform 1"]],
        iteration: [2, "Stage_1, Stage_3", "Stage_1.Input_1, Stage_3.Output_1"],
      },
      { name: "Stage_2", inputs: [["Source = Stage_1.Output_1"]] },
      { name: "Stage_3", inputs: [["Source = Stage_2.Output_1"]] },
    ]);
    expect(errorsOf(byPosition)[0]?.message).toMatch(/names Stage_3, but the next block\(s\) are Stage_2/);
  });

  it("refuses duplicate stage names and skeletons beyond the task limit", () => {
    expect(errorsOf(skeletonText([{ name: "Stage_1" }, { name: "Stage_1" }]))[0]?.message).toMatch(
      /defined twice \(first at line 3\)/,
    );
    expect(errorsOf(demo.replace("Num_Tasks = 20", "Num_Tasks = 2000000"))[0]).toMatchObject({
      line: 5,
      message: expect.stringMatching(/`Num_Tasks` must be between 1 and 1000000/),
    });
  });
});
