/**
 * The concrete workload: what a skeleton becomes once expanded with a seed.
 * This is the contract between the skeleton expander (producer) and the planner,
 * the engine and the statistics (consumers). Numbers are numbers here; the
 * byte-exact strings the original library printed stay inside lib/skeleton.
 */

/** A file a task reads or writes. `path` = `${dir}/${name}`, relative to the run directory. */
export interface WorkloadFile {
  name: string;
  dir: string;
  path: string;
  /** bytes (integer; fractional draws are truncated as the original `task` did with atoi) */
  size: number;
}

export type TaskMode = "time" | "flops";

export interface WorkloadTask {
  /** e.g. `Stage_1_0` (0-based task index, as the original names them) */
  id: string;
  /** stage name after iteration unrolling, e.g. `Stage_3_Iter_1` */
  stage: string;
  /** position of the stage in execution order (0-based) */
  stageIndex: number;
  /** `serial` | `parallel`, passed through to the task program */
  type: string;
  mode: TaskMode;
  /** cores (the skeleton's Num_Processes) */
  cores: number;
  /** seconds in `time` mode, FLOP count in `flops` mode; never negative */
  length: number;
  readBuffer: number;
  writeBuffer: number;
  /** 0..3, see the skeleton reference §1.6 */
  interleave: number;
  inputs: WorkloadFile[];
  outputs: WorkloadFile[];
  /** ids of the tasks whose outputs this task reads (its dependencies) */
  dependsOn: string[];
}

export interface WorkloadStage {
  name: string;
  index: number;
  taskIds: string[];
  /** names of the stages whose outputs any task of this stage reads */
  dependsOn: string[];
}

export interface WorkloadWarning {
  code: "NEGATIVE_DRAW_CLAMPED" | "FRACTIONAL_SIZE_TRUNCATED" | "OTHER";
  message: string;
  line?: number;
}

export interface Workload {
  name: string;
  seed: number;
  stages: WorkloadStage[];
  /** every task, in stage order then task order */
  tasks: WorkloadTask[];
  warnings: WorkloadWarning[];
}
