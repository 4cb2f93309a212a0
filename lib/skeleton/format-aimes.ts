import { distText } from "./dist";
import type { Skeleton } from "./types";

/**
 * A skeleton written back in the AIMES text format, in the layout of the original's sample
 * files. Used to show what a JSON/YAML or 2013-format file means in the format the original
 * reads; parsing the result gives the same skeleton.
 */
export function formatAimes(sk: Skeleton): string {
  const out = [`Num_Stage = ${sk.numStage}`];
  for (const s of sk.stages) {
    out.push("", `Stage_Name = ${s.name}`, `    Task_Type = ${s.taskType}`);
    if (s.taskMode !== null) out.push(`    Task_Mode = ${s.taskMode}`);
    out.push(
      `    Num_Tasks = ${s.numTasks}`,
      `    Task_Length = ${distText(s.length)}`,
      `    Num_Processes = ${s.processes}`,
      `    Read_Buffer = ${s.readBuf}`,
      `    Write_Buffer = ${s.writeBuf}`,
      `    Input_Files_Each_Task = ${s.inputsText}`,
    );
    s.inputs.forEach((slot, i) => {
      if (slot.sourceText !== "") out.push(`        Input_${i + 1}.Source = ${slot.sourceText}`);
      if (slot.size) out.push(`        Input_${i + 1}.Size = ${distText(slot.size)}`);
    });
    if (s.mapping) out.push(`    Input_Task_Mapping = ${s.mapping.kind} ${s.mapping.text}`);
    out.push(`    Output_Files_Each_Task = ${s.outputsText}`);
    s.outputs.forEach((o, j) => out.push(`        Output_${j + 1}.Size = ${distText(o)}`));
    out.push(`    Interleave_Option = ${s.interleave}`);
    const it = s.iteration;
    if (it)
      out.push(
        `    Iteration_Num = ${it.numText}`,
        `    Iteration_Stages = ${it.stagesText}`,
        `    Iteration_Substitute = ${it.subText[0]}, ${it.subText[1]}`,
      );
  }
  return out.join("\n") + "\n";
}
