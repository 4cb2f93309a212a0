import { describe, expect, it } from "vitest";
import { formatAimes } from "./format-aimes";
import { parseAimes } from "./parse";
import { fixture } from "./test-helpers";

const legacy = (stages: string[]) => `Num_Stage = ${stages.length}\n\n${stages.join("\n\n")}\n`;
const stage = (name: string, n: number, src: string, k: number, r: number, extra = "") =>
  `Stage_Name = ${name}\n    Num_Tasks = ${n}\n    Task_Length = uniform 5s\n    Input_Source = ${src}\n    Input_Files_Each_Task = ${k}\n    Tasks_Each_Input_File = ${r}\n${src === "filesystem" ? "    Input_File_Size = uniform 1048576\n" : ""}${extra}    Output_Files_Each_Task = 1\n    Output_File_Size = uniform 1048576`;

describe("the legacy 2013 format", () => {
  it("converts the MTAGS 2013 listing into the 2014 listing of the manual, saying what it chose", () => {
    const r = parseAimes(fixture("Skeleton-MTAGS2013_lst-sample.input"));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.legacy).toBe(true);
    const text = formatAimes(r.skeleton);
    // the same workload as the 2014 manual's sample listing, apart from the sizes it draws
    const manual = parseAimes(fixture("Skeleton-report_lst-sample.input"));
    if (!manual.ok) throw new Error("manual listing");
    const shape = (t: string) =>
      t.replace(/(Task_Length|Size) = .*/g, "$1 = …").replace(/Num_Tasks = (\d+)\s*/g, "Num_Tasks = $1");
    expect(shape(text)).toBe(shape(formatAimes(manual.skeleton)));
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(
        /legacy 2013 skeleton format .* converted to the 2014 format with Task_Type serial/,
      ),
      "Stage_1 (2013 format) is read as: 2 filesystem input slot(s)",
      "Stage_2 (2013 format) is read as: Input_Task_Mapping = combination Stage_1.Output_1 2",
      "Stage_3 (2013 format) is read as: Input_Task_Mapping = combination Stage_2.Output_1 6",
    ]);
  });

  it("converts the TROY bag of tasks (with # comments and unit suffixes)", () => {
    const r = parseAimes(fixture("radical.owms_bag.input"));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.skeleton.stages[0]).toMatchObject({
      numTasks: 4,
      length: { kind: "uniform", text: "10s", value: 10 },
      inputs: [{ source: { kind: "filesystem" } }],
    });
  });

  it("expresses partitions as 2014 direct references and polynomials of the input", () => {
    const r = parseAimes(
      legacy([
        stage("Stage_1", 4, "filesystem", 1, 1),
        stage("Stage_2", 2, "Stage_1.Output", 2, 1).replace("uniform 5s", "input [4, 2]x"),
      ]),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.skeleton.stages[1]?.inputs.map((i) => i.sourceText)).toEqual([
      "Stage_1.Output_1",
      "Stage_1.Output_1",
    ]);
    expect(r.skeleton.stages[1]?.length).toMatchObject({ kind: "polynomial", a: 4, b: 2, of: { input: 1 } });
    expect(r.warnings[2]?.message).toMatch(
      /2 × Input_i.Source = Stage_1.Output_1 \(task t reads files t·2 … t·2\+1, the 2014 rule\)/,
    );
  });

  it("refuses mappings the 2014 format cannot express, with the numbers", () => {
    const odd = parseAimes(
      legacy([stage("Stage_1", 6, "filesystem", 1, 1), stage("Stage_2", 4, "Stage_1.Output", 3, 2)]),
    );
    expect(!odd.ok && odd.errors[0]?.message).toMatch(
      /4 task\(s\) reading 3 of 6 file\(s\), each file read by 2 task\(s\)/,
    );
    const ratios = parseAimes(
      legacy([stage("Stage_1", 4, "filesystem", 1, 1), stage("Stage_2", 4, "Stage_1.Output", 2, 1)]),
    );
    expect(!ratios.ok && ratios.errors[0]?.message).toMatch(
      /4 task\(s\) × 2 input\(s\) each ≠ 4 file\(s\) of Stage_1 × 1 task\(s\) each/,
    );
    const shared = parseAimes(legacy([stage("Stage_1", 4, "filesystem", 1, 2)]));
    expect(!shared.ok && shared.errors[0]?.message).toMatch(
      /initial files read by several tasks have no 2014 equivalent/,
    );
  });

  it("reads a file that mixes 2013 keys into the 2014 format as a 2014 file, explaining the old keys", () => {
    const r = parseAimes(
      fixture("emanager_skeleton_demo_SC2014.conf").replace(
        "Output_1.Size = uniform 20000",
        "Output_File_Size = uniform 20000",
      ),
    );
    expect(r.legacy).toBe(false);
    expect(
      !r.ok && r.errors.some((e) => /`Output_File_Size` belongs to the 2013 skeleton format/.test(e.message)),
    ).toBe(true);
  });
});
