import { readFileSync } from "node:fs";
import path from "node:path";

/** Test-only helpers: the shared fixtures and small skeleton texts. */
export const FIXTURES = path.resolve(process.cwd(), "../shared/fixtures/skeletons");

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), "utf8");
}

export interface StageText {
  name: string;
  tasks?: number;
  length?: string;
  mode?: string;
  processes?: number;
  /** the Input_i lines, e.g. ["Source = filesystem", "Size = uniform 1"] per slot */
  inputs?: string[][];
  inputsPerTask?: number;
  mapping?: string;
  outputs?: string[];
  iteration?: [number, string, string];
}

/** An AIMES text skeleton from a compact description (keys in the required order). */
export function skeletonText(stages: StageText[]): string {
  const out = [`Num_Stage = ${stages.length}`];
  for (const s of stages) {
    out.push("", `Stage_Name = ${s.name}`, "    Task_Type = serial");
    if (s.mode) out.push(`    Task_Mode = ${s.mode}`);
    out.push(
      `    Num_Tasks = ${s.tasks ?? 4}`,
      `    Task_Length = ${s.length ?? "uniform 10"}`,
      `    Num_Processes = ${s.processes ?? 1}`,
      "    Read_Buffer = 65536",
      "    Write_Buffer = 65536",
    );
    const inputs = s.inputs ?? [];
    out.push(`    Input_Files_Each_Task = ${s.inputsPerTask ?? inputs.length}`);
    inputs.forEach((lines, i) => lines.forEach((l) => out.push(`        Input_${i + 1}.${l}`)));
    if (s.mapping) out.push(`    Input_Task_Mapping = ${s.mapping}`);
    const outputs = s.outputs ?? ["uniform 1048576"];
    out.push(`    Output_Files_Each_Task = ${outputs.length}`);
    outputs.forEach((o, j) => out.push(`        Output_${j + 1}.Size = ${o}`));
    out.push("    Interleave_Option = 0");
    if (s.iteration)
      out.push(
        `    Iteration_Num = ${s.iteration[0]}`,
        `    Iteration_Stages = ${s.iteration[1]}`,
        `    Iteration_Substitute = ${s.iteration[2]}`,
      );
  }
  return out.join("\n") + "\n";
}

/**
 * The skeleton of issue 13: two stages of `tasks` task(s) iterated `num` times, unindented
 * (706 bytes with Iteration_Num = 10000000 and one task per stage; the file had 549).
 */
export function iteratedSkeleton(num: number, tasks = 1): string {
  const stage = (name: string, input: string[]) => [
    `Stage_Name = ${name}`,
    "Task_Type = serial",
    `Num_Tasks = ${tasks}`,
    "Task_Length = uniform 1",
    "Num_Processes = 1",
    "Read_Buffer = 65536",
    "Write_Buffer = 65536",
    "Input_Files_Each_Task = 1",
    ...input,
    "Output_Files_Each_Task = 1",
    "Output_1.Size = uniform 1024",
    "Interleave_Option = 0",
  ];
  const first = stage("Stage_1", ["Input_1.Source = filesystem", "Input_1.Size = uniform 1024"]);
  first.push(
    `Iteration_Num = ${num}`,
    "Iteration_Stages = Stage_1, Stage_2",
    "Iteration_Substitute = Stage_1.Input_1, Stage_2.Output_1",
  );
  return (
    ["Num_Stage = 2", "", ...first, "", ...stage("Stage_2", ["Input_1.Source = Stage_1.Output_1"])].join(
      "\n",
    ) + "\n"
  );
}
