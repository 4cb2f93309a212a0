/**
 * The AIMES skeleton as parsed (before expansion). Numbers the original kept as strings stay
 * strings here (`processes`, buffers, `interleave`), because the emitters reproduce the
 * original library's output byte for byte.
 */
export type Dist =
  | { kind: "uniform"; text: string }
  | { kind: "normal" | "gauss" | "lognorm" | "triangular"; a: number; b: number; unit: string; text: string }
  | { kind: "polynomial"; a: number; b: number; of: { input: number } | "length"; text: string };

export type Source =
  | { kind: "filesystem" }
  | { kind: "ref"; stage: string; io: "Output" | "Input"; slot: number; text: string };

export interface InputSlot {
  source: Source | null;
  size: Dist | null;
}

export type Mapping =
  | { kind: "combination"; stage: string; slot: number; m: number; text: string }
  | { kind: "external"; path: string; text: string };

export interface Iteration {
  num: number;
  stages: string[];
  substitute: { input: { stage: string; slot: number }; output: { stage: string; slot: number } };
  text: { stages: string; substitute: string };
}

export interface StageDef {
  name: string;
  taskType: string;
  /** null when the file has no Task_Mode line (2014 files); the expander defaults it to "time" */
  taskMode: string | null;
  numTasks: number;
  length: Dist;
  processes: string;
  readBuf: string;
  writeBuf: string;
  inputsPerTask: number;
  inputs: InputSlot[];
  mapping: Mapping | null;
  outputsPerTask: number;
  outputs: Dist[];
  interleave: string;
  iteration: Iteration | null;
  line: number;
}

export interface Skeleton {
  numStage: number;
  stages: StageDef[];
}

export interface SkeletonError {
  line: number;
  column: number;
  message: string;
  expected?: string;
}
