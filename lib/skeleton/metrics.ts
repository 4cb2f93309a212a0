import type { Workload } from "../model/workload";

/**
 * The workload characterisation the planner and the preview use (the demo's "Skeleton Workflow"
 * console section). Input and output figures count file references: a file read by two tasks
 * counts twice, as the original's data totals did. The "MB" figures are bytes / 1024 / 1024,
 * which the demo printed as MB (20.38 in and 1.38 out for the SC2014 skeleton).
 */
export interface StageMetrics {
  name: string;
  tasks: number;
  coresSum: number;
  coresMax: number;
  /** seconds (or FLOPs for flops-mode tasks) */
  lengthMin: number;
  lengthMax: number;
  lengthMean: number;
  /** sum of task lengths */
  taskSeconds: number;
  /** sum of length × cores */
  coreSeconds: number;
  inputFiles: number;
  inputBytes: number;
  outputFiles: number;
  outputBytes: number;
  dependsOn: string[];
}

export interface WorkloadMetrics {
  stages: StageMetrics[];
  tasks: number;
  coresSum: number;
  coresMax: number;
  longestTask: number;
  taskSeconds: number;
  coreSeconds: number;
  inputFiles: number;
  inputBytes: number;
  outputFiles: number;
  outputBytes: number;
  /** inputs no task produces: what has to be staged in before the run */
  stageInFiles: number;
  stageInBytes: number;
  inputMB: number;
  outputMB: number;
}

type Sums = Omit<StageMetrics, "name" | "dependsOn" | "lengthMean">;

const empty = (): Sums => ({
  tasks: 0,
  coresSum: 0,
  coresMax: 0,
  lengthMin: Infinity,
  lengthMax: 0,
  taskSeconds: 0,
  coreSeconds: 0,
  inputFiles: 0,
  inputBytes: 0,
  outputFiles: 0,
  outputBytes: 0,
});

export function workloadMetrics(w: Workload): WorkloadMetrics {
  const sums = new Map(w.stages.map((s) => [s.name, empty()]));
  const produced = new Set<string>();
  for (const t of w.tasks) for (const o of t.outputs) produced.add(o.path);
  const stageIn = new Map<string, number>();
  for (const t of w.tasks) {
    const s = sums.get(t.stage) ?? empty();
    s.tasks += 1;
    s.coresSum += t.cores;
    s.coresMax = Math.max(s.coresMax, t.cores);
    s.lengthMin = Math.min(s.lengthMin, t.length);
    s.lengthMax = Math.max(s.lengthMax, t.length);
    s.taskSeconds += t.length;
    s.coreSeconds += t.length * t.cores;
    s.inputFiles += t.inputs.length;
    s.outputFiles += t.outputs.length;
    for (const f of t.inputs) {
      s.inputBytes += f.size;
      if (!produced.has(f.path)) stageIn.set(f.path, f.size);
    }
    for (const f of t.outputs) s.outputBytes += f.size;
  }
  const stages = w.stages.map((st): StageMetrics => {
    const s = sums.get(st.name)!;
    return {
      name: st.name,
      ...s,
      lengthMin: s.tasks ? s.lengthMin : 0,
      lengthMean: s.tasks ? s.taskSeconds / s.tasks : 0,
      dependsOn: st.dependsOn,
    };
  });
  const total = (k: keyof Sums) => stages.reduce((a, s) => a + s[k], 0);
  const inputBytes = total("inputBytes");
  const outputBytes = total("outputBytes");
  return {
    stages,
    tasks: total("tasks"),
    coresSum: total("coresSum"),
    coresMax: stages.reduce((a, s) => Math.max(a, s.coresMax), 0),
    longestTask: stages.reduce((a, s) => Math.max(a, s.lengthMax), 0),
    taskSeconds: total("taskSeconds"),
    coreSeconds: total("coreSeconds"),
    inputFiles: total("inputFiles"),
    inputBytes,
    outputFiles: total("outputFiles"),
    outputBytes,
    stageInFiles: stageIn.size,
    stageInBytes: [...stageIn.values()].reduce((a, b) => a + b, 0),
    inputMB: inputBytes / 1024 / 1024,
    outputMB: outputBytes / 1024 / 1024,
  };
}
