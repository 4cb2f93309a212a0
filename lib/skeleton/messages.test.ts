import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDist } from "./dist";
import { parseSkeleton } from "./load";

// Messages in the user's words: what a valid value looks like, with an example in backticks, and
// none of the grammar's placeholders (`uniform V`, `[a, b]`, `Stage_X.Output_j`, `<script>`).
const JARGON =
  /\buniform V\b|\[a, b\]|\[avg, stdev\]|\[mu, sigma\]|\[low, high\]|Stage_X|Output_j|Input_i|Input_k|<script>|\bm\b \|/;

const sc = readFileSync(
  path.resolve(process.cwd(), "../shared/fixtures/skeletons/emanager_skeleton_demo_SC2014.conf"),
  "utf8",
);
const errorsOf = (text: string) => {
  const r = parseSkeleton(text);
  return r.ok ? [] : r.errors;
};

describe("skeleton messages say what a valid value looks like", () => {
  const bad: [string, RegExp][] = [
    ["uniform", /`uniform 10`/],
    ["uniform ten", /`uniform 10`/],
    ["normal [10,2]", /`normal \[10, 2\]`/],
    ["normal [-1, 2]", /`normal \[10, 2\]`/],
    ["normal 10", /`normal \[10, 2\]`/],
    ["triangular [5]", /`triangular \[5, 15\]`/],
    ["Uniform 10", /`uniform 10`/],
    ["weibull [1, 2]", /`uniform 10`.*`normal \[10, 2\]`/],
    ["polynomial 2 Input_1", /`polynomial \[2, 1\] Input_1`/],
  ];
  for (const [value, example] of bad) {
    it(`Task_Length = ${value}`, () => {
      const d = parseDist(value, "length");
      expect(d.ok).toBe(false);
      if (d.ok) return;
      expect(d.message).toMatch(example);
      expect(d.message).not.toMatch(JARGON);
      expect(d.expected).not.toMatch(JARGON);
    });
  }

  it("in a whole file: the error at the value, with an example and no placeholder", () => {
    const [e] = errorsOf(sc.replace("uniform 10", "uniform"));
    expect(e).toMatchObject({ line: 6, column: 19 });
    expect(e!.message).toBe(
      "`uniform` needs a value after it, such as `uniform 10` (every task 10 s long) or `normal [10, 2]` (drawn per task: mean 10, standard deviation 2)",
    );
  });

  it("other values: a mapping, a source, a task type and a stage name each come with an example", () => {
    const cases: [string, string, RegExp][] = [
      [
        "Input_Task_Mapping = combination Stage_1.Output_1 20",
        "Input_Task_Mapping = mapping Stage_1.Output_1 20",
        /`combination Stage_1\.Output_1 2`/,
      ],
      ["Input_1.Source = filesystem", "Input_1.Source = somewhere", /`Stage_1\.Output_1`.*`filesystem`/],
      ["Task_Type = serial\n    Num_Tasks = 20", "Task_Type = \n    Num_Tasks = 20", /`serial`/],
      ["Stage_Name = Stage_2", "Stage_Name = -2", /`Stage_2`/],
    ];
    for (const [from, to, example] of cases) {
      const errs = errorsOf(sc.replace(from, to));
      expect(errs.length, to).toBeGreaterThan(0);
      expect(errs.map((e) => e.message).join("\n"), to).toMatch(example);
      for (const e of errs) expect(`${e.message} ${e.expected ?? ""}`, to).not.toMatch(JARGON);
    }
  });
});
