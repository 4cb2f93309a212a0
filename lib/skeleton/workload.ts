import type { TaskMode, Workload, WorkloadFile, WorkloadStage, WorkloadTask, WorkloadWarning } from "../model/workload";
import { numeric } from "./dist";
import type { Expanded, XFile } from "./expand";

/** The expanded skeleton as the engine and planner use it: numbers, paths, dependencies. */
export function toWorkload(x: Expanded, name: string, seed: number): Workload {
  const warnings: WorkloadWarning[] = [...x.warnings];
  const producer = new Map<string, { task: string; stage: string }>();
  for (const st of x.stages) for (const t of st.tasks) for (const o of t.outputs) producer.set(`${o.dir}/${o.name}`, { task: t.id, stage: st.name });
  const file = (f: XFile): WorkloadFile => {
    const v = numeric(f.sizeText);
    if (!Number.isInteger(v) && !warnings.some((w) => w.code === "FRACTIONAL_SIZE_TRUNCATED")) {
      warnings.push({ code: "FRACTIONAL_SIZE_TRUNCATED", message: `file sizes such as ${f.sizeText} bytes are truncated to whole bytes` });
    }
    return { name: f.name, dir: f.dir, path: `${f.dir}/${f.name}`, size: Math.max(0, Math.trunc(v)) };
  };
  const tasks: WorkloadTask[] = [];
  const stages: WorkloadStage[] = x.stages.map((st, index) => {
    const deps = new Set<string>();
    for (const t of st.tasks) {
      const inputs = t.inputs.map(file);
      const dependsOn = [...new Set(inputs.map((f) => producer.get(f.path)?.task).filter((p): p is string => !!p))];
      for (const i of inputs) {
        const p = producer.get(i.path);
        if (p) deps.add(p.stage);
      }
      tasks.push({
        id: t.id, stage: st.name, stageIndex: index, type: st.def.taskType, mode: (st.mode === "flops" ? "flops" : "time") as TaskMode,
        cores: Math.max(1, Math.trunc(numeric(st.def.processes))), length: Math.max(0, numeric(t.lengthText)),
        readBuffer: Math.max(1, Math.trunc(numeric(st.def.readBuf))), writeBuffer: Math.max(1, Math.trunc(numeric(st.def.writeBuf))),
        interleave: Math.trunc(numeric(st.def.interleave)), inputs, outputs: t.outputs.map(file), dependsOn,
      });
    }
    return { name: st.name, index, taskIds: st.tasks.map((t) => t.id), dependsOn: [...deps] };
  });
  return { name, seed, stages, tasks, warnings };
}

export interface StageMetrics {
  name: string;
  tasks: number;
  coresSum: number;
  coresMax: number;
  lengthMin: number;
  lengthMax: number;
  lengthMean: number;
  taskSeconds: number;
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
  inputFiles: number;
  inputBytes: number;
  outputFiles: number;
  outputBytes: number;
  /** as the original printed them: bytes / 1024 / 1024, labelled "MB" */
  inputMB: number;
  outputMB: number;
}

export function workloadMetrics(w: Workload): WorkloadMetrics {
  const byStage = new Map<string, WorkloadTask[]>();
  for (const t of w.tasks) byStage.set(t.stage, [...(byStage.get(t.stage) ?? []), t]);
  const stages = w.stages.map((s): StageMetrics => {
    const ts = byStage.get(s.name) ?? [];
    const lens = ts.map((t) => t.length);
    const sum = (f: (t: WorkloadTask) => number) => ts.reduce((a, t) => a + f(t), 0);
    return {
      name: s.name, tasks: ts.length, coresSum: sum((t) => t.cores), coresMax: Math.max(0, ...ts.map((t) => t.cores)),
      lengthMin: ts.length ? Math.min(...lens) : 0, lengthMax: ts.length ? Math.max(...lens) : 0, lengthMean: ts.length ? sum((t) => t.length) / ts.length : 0,
      taskSeconds: sum((t) => t.length * t.cores), inputFiles: sum((t) => t.inputs.length), inputBytes: sum((t) => t.inputs.reduce((a, f) => a + f.size, 0)),
      outputFiles: sum((t) => t.outputs.length), outputBytes: sum((t) => t.outputs.reduce((a, f) => a + f.size, 0)), dependsOn: s.dependsOn,
    };
  });
  const total = (k: keyof StageMetrics) => stages.reduce((a, s) => a + (s[k] as number), 0);
  const inputBytes = total("inputBytes");
  const outputBytes = total("outputBytes");
  return {
    stages, tasks: total("tasks"), coresSum: total("coresSum"), coresMax: Math.max(0, ...stages.map((s) => s.coresMax)),
    longestTask: Math.max(0, ...stages.map((s) => s.lengthMax)), taskSeconds: total("taskSeconds"), inputFiles: total("inputFiles"),
    inputBytes, outputFiles: total("outputFiles"), outputBytes, inputMB: inputBytes / 1024 / 1024, outputMB: outputBytes / 1024 / 1024,
  };
}
