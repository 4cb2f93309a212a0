import type {
  TaskMode,
  Workload,
  WorkloadFile,
  WorkloadStage,
  WorkloadTask,
  WorkloadWarning,
} from "../model/workload";
import type { Expanded, XFile } from "./expand";
import { leadingNumber } from "./py-format";

/**
 * The expanded skeleton as the planner, the engine and the statistics use it (lib/model/workload.ts):
 * numbers instead of printed strings, real paths, and the dependencies, which the original never
 * declared: a task depends on the tasks whose output files it reads.
 * Sizes are whole bytes: `task` read them with atoi, so "10404130.20" means 10404130.
 */
export function toWorkload(x: Expanded): Workload {
  // the place goes into the message too: pages and run records show the message alone
  const warnings: WorkloadWarning[] = x.warnings.map((w) => ({
    code: w.code,
    message: `line ${w.line}, column ${w.column}: ${w.message}`,
    line: w.line,
  }));
  const producer = new Map<XFile, { task: string; stage: number }>();
  const converted = new Map<XFile, WorkloadFile>();
  let fractional: string | null = null;
  let negativeLength = 0;
  const file = (f: XFile): WorkloadFile => {
    let w = converted.get(f);
    if (!w) {
      const v = leadingNumber(f.sizeText);
      if (!Number.isInteger(v) && fractional === null) fractional = f.sizeText;
      const path = `${f.dir}/${f.name}`;
      w = { name: f.name, dir: f.dir, path, size: Number.isFinite(v) ? Math.max(0, Math.trunc(v)) : 0 };
      converted.set(f, w);
    }
    return w;
  };
  const tasks: WorkloadTask[] = [];
  const stages: WorkloadStage[] = x.stages.map((st, index) => {
    const deps = new Set<number>();
    const d = st.def;
    for (const t of st.tasks) {
      const dependsOn = new Set<string>();
      for (const f of t.inputs) {
        const p = producer.get(f);
        if (p) {
          dependsOn.add(p.task);
          deps.add(p.stage);
        }
      }
      const length = leadingNumber(t.lengthText);
      if (length < 0) negativeLength += 1;
      tasks.push({
        id: t.id,
        stage: st.name,
        stageIndex: index,
        type: d.taskType,
        mode: (st.mode === "flops" ? "flops" : "time") satisfies TaskMode,
        cores: Number(d.processes),
        length: Number.isFinite(length) ? Math.max(0, length) : 0,
        readBuffer: Number(d.readBuf),
        writeBuffer: Number(d.writeBuf),
        interleave: Number(d.interleave),
        inputs: t.inputs.map(file),
        outputs: t.outputs.map(file),
        dependsOn: [...dependsOn],
      });
      for (const o of t.outputs) producer.set(o, { task: t.id, stage: index });
    }
    return {
      name: st.name,
      index,
      taskIds: st.tasks.map((t) => t.id),
      dependsOn: [...deps].sort((a, b) => a - b).map((i) => x.stages[i]!.name),
    };
  });
  if (fractional !== null)
    warnings.push({
      code: "FRACTIONAL_SIZE_TRUNCATED",
      message: `file sizes such as ${fractional} are truncated to whole bytes, as the task program read them (the original's setup script passed them to dd, which refused them)`,
    });
  if (negativeLength)
    warnings.push({
      code: "NEGATIVE_DRAW_CLAMPED",
      message: `${negativeLength} task length(s) written as negative constants are taken as 0`,
    });
  return { name: x.name, seed: x.seed, stages, tasks, warnings };
}
