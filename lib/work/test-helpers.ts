/** For tests and scripts/bench/hostile-latency.ts: an AIMES skeleton of one stage with `tasks` short tasks (300 bytes for any count). */
export function bigText(tasks: number): string {
  return [
    "Num_Stage = 1",
    "Stage_Name = S",
    "Task_Type = serial",
    `Num_Tasks = ${tasks}`,
    "Task_Length = uniform 5",
    "Num_Processes = 1",
    "Read_Buffer = 1",
    "Write_Buffer = 1",
    "Input_Files_Each_Task = 0",
    "Output_Files_Each_Task = 1",
    "Output_1.Size = uniform 10",
    "Interleave_Option = 0",
    "",
  ].join("\n");
}
