import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pyJsonKeyOrder, pyStringHash } from "./py-dict";
import { FIXTURES } from "./test-helpers";

// The key orders of the original's JSON form come from simulating CPython 2.7's dict; the
// simulation is checked against every object kind in the golden JSON files of both versions.
const GEN = path.join(FIXTURES, "generated");

/** Key orders in a golden file: JSON.parse keeps the order of (non-numeric) keys. */
function goldenKeys(file: string): Record<"app" | "stage" | "task" | "file", string[]> {
  type Obj = Record<string, unknown>;
  const app = JSON.parse(readFileSync(path.join(GEN, file), "utf8")) as Obj;
  const stage = (app.stagelist as Obj[])[0]!;
  const task = (stage.task_list as Obj[])[0]!;
  const f = (task.inputlist as Obj[])[0]!;
  return { app: Object.keys(app), stage: Object.keys(stage), task: Object.keys(task), file: Object.keys(f) };
}

const TASK = [
  "taskid",
  "task_type",
  "task_mode",
  "processes",
  "length",
  "read_buf",
  "write_buf",
  "inputlist",
  "outputlist",
  "interleave_option",
  "mode",
  "command",
  "args",
];
const STAGE = [
  "mode",
  "name",
  "task_type",
  "task_mode",
  "num_tasks",
  "length_para",
  "processes",
  "read_buf",
  "write_buf",
  "input_per_task",
  "input_para",
  "input_task_mapping",
  "output_per_task",
  "output_para",
  "interleave_option",
  "iter_num",
  "iter_stages",
  "iter_sub",
  "task_list",
  "inputdir",
  "outputdir",
];
const no = (attrs: string[]) => attrs.filter((a) => a !== "task_mode");

describe("Python 2.7 dict order", () => {
  it("hashes strings as CPython 2.7 on 64 bits", () => {
    expect(pyStringHash("")).toBe(0n);
    expect(pyStringHash("a")).toBe(12416037344n);
  });

  it("reproduces the key order of every object kind in the golden JSON of both versions", () => {
    const files = readdirSync(GEN).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(2);
    for (const f of files) {
      const v2017 = f.includes("137e59f");
      const keys = goldenKeys(f);
      expect(keys.task).toEqual(pyJsonKeyOrder(v2017 ? TASK : no(TASK)));
      expect(keys.stage).toEqual(pyJsonKeyOrder(v2017 ? STAGE : no(STAGE)));
      expect(keys.file).toEqual(pyJsonKeyOrder(["name", "size"]));
      expect(keys.app).toEqual(pyJsonKeyOrder(["name", "input_file", "num_stage", "stagelist", "mode"]));
    }
  });

  it("gives deep-copied (iterated) stages another order, as copy.deepcopy rebuilt their __dict__", () => {
    const plain = pyJsonKeyOrder(no(STAGE));
    const copied = pyJsonKeyOrder(no(STAGE), true);
    expect([...copied].sort()).toEqual([...plain].sort());
    expect(copied).not.toEqual(plain);
    // regression value of the simulation (no golden file has an iterated stage)
    expect(copied.slice(0, 6)).toEqual([
      "input_para",
      "read_buf",
      "iter_stages",
      "processes",
      "iter_num",
      "output_per_task",
    ]);
  });
});
