import { emitShell, loadSkeletonText } from "../../lib/skeleton";
import type { BenchRow } from "./types";
import { timeIt } from "./util";

/** Parse + expand a 100,000-task skeleton (50,000 tasks, then 50,000 reading them one to one). */
export const BIG_SKELETON = `Num_Stage = 2
Stage_Name = Stage_1
Task_Type = serial
Num_Tasks = 50000
Task_Length = normal [10, 2]
Num_Processes = 1
Read_Buffer = 65536
Write_Buffer = 65536
Input_Files_Each_Task = 1
Input_1.Source = filesystem
Input_1.Size = uniform 1048576
Output_Files_Each_Task = 1
Output_1.Size = uniform 20000
Interleave_Option = 0
Stage_Name = Stage_2
Task_Type = serial
Num_Tasks = 50000
Task_Length = uniform 5
Num_Processes = 1
Read_Buffer = 65536
Write_Buffer = 65536
Input_Files_Each_Task = 1
Input_1.Source = Stage_1.Output_1
Output_Files_Each_Task = 1
Output_1.Size = uniform 1000
Interleave_Option = 0
`;

export async function bench(): Promise<BenchRow[]> {
  const r = loadSkeletonText(BIG_SKELETON, { seed: 1 });
  if (!r.ok) throw new Error("bench skeleton does not parse");
  const expand = await timeIt(() => loadSkeletonText(BIG_SKELETON, { seed: 1 }));
  const json = JSON.stringify(r.workload);
  const baseline = await timeIt(() => JSON.parse(json));
  const shell = await timeIt(() => emitShell(r.expanded, "2014"));
  return [
    {
      figure: "skeleton: parse + expand 100,000 tasks",
      value: expand,
      unit: "ms",
      baseline: { label: "JSON.parse of the same workload", value: baseline, unit: "ms" },
      ratio: expand / baseline,
      budget: "< 1 s with planning",
    },
    { figure: "skeleton: emit the 100,000-line shell task list", value: shell, unit: "ms" },
  ];
}
