import { describe, expect, it } from "vitest";
import type { Workload, WorkloadFile, WorkloadTask } from "../model/workload";
import { directoriesOf, initialInputs, inputsToUpload, totalBytes } from "./staging";

const f = (dir: string, name: string, size: number): WorkloadFile => ({
  dir,
  name,
  path: `${dir}/${name}`,
  size,
});
const base = {
  type: "serial",
  mode: "time" as const,
  cores: 1,
  length: 1,
  readBuffer: 1,
  writeBuffer: 1,
  interleave: 0,
};
const in1 = f("Stage_1_Input", "Stage_1_Input_0_1", 1048576);
const in2 = f("Stage_1_Input", "Stage_1_Input_0_2", 1048576);
const o1 = f("Stage_1_Output", "Stage_1_Output_0_1", 20000);
const o2 = f("Stage_1_Output", "Stage_1_Output_0_2", 20000);
const t0: WorkloadTask = {
  ...base,
  id: "Stage_1_0",
  stage: "Stage_1",
  stageIndex: 0,
  inputs: [in1],
  outputs: [o1],
  dependsOn: [],
};
const t1: WorkloadTask = {
  ...base,
  id: "Stage_1_1",
  stage: "Stage_1",
  stageIndex: 0,
  inputs: [in2],
  outputs: [o2],
  dependsOn: [],
};
const t2: WorkloadTask = {
  ...base,
  id: "Stage_2_0",
  stage: "Stage_2",
  stageIndex: 1,
  inputs: [o1, o2, o1],
  outputs: [],
  dependsOn: ["Stage_1_0", "Stage_1_1"],
};
const w: Workload = { name: "w", seed: 0, stages: [], tasks: [t0, t1, t2], warnings: [] };

describe("staging", () => {
  it("initial inputs are the files read and never written", () => {
    expect(initialInputs(w).map((x) => x.path)).toEqual([in1.path, in2.path]);
  });
  it("uploads only what the pilot lacks, once each", () => {
    expect(inputsToUpload(t2, new Set([o1.path])).map((x) => x.path)).toEqual([o2.path]);
    expect(inputsToUpload(t2, new Set()).map((x) => x.path)).toEqual([o1.path, o2.path]);
    expect(inputsToUpload(t2, new Set([o1.path, o2.path]))).toEqual([]);
  });
  it("lists directories and sums bytes", () => {
    expect(directoriesOf([in1, o1, in2])).toEqual(["Stage_1_Input", "Stage_1_Output"]);
    expect(totalBytes([in1, in2, o1])).toBe(2 * 1048576 + 20000);
  });
});
