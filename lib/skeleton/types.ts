/**
 * The AIMES skeleton as parsed, before expansion. Values the original library kept as strings
 * and printed verbatim (processes, buffers, interleave, the distribution parameters, the
 * source texts) stay strings here, so the emitters reproduce its output byte for byte; the
 * numbers the expander needs sit next to them.
 */
import type { WorkloadWarning } from "../model/workload";
import { escapeControl } from "../util/text";

/** Messages quote values from the file; a 1 MB line must not become a 1 MB message (times 100). */
const MAX_MESSAGE = 1000;
const clean = (m: string): string => {
  const e = escapeControl(m);
  return e.length > MAX_MESSAGE
    ? `${e.slice(0, MAX_MESSAGE)}… (${e.length - MAX_MESSAGE} more characters)`
    : e;
};

export type RandomKind = "normal" | "gauss" | "lognorm" | "triangular";

/** `text` is the parameter string after the distribution name, exactly as written. */
export type Dist =
  /** a constant (the original copied the text into every task); `value` is its leading number */
  | { kind: "uniform"; text: string; value: number }
  /** normal/gauss/lognorm: [mean, stdev] (lognorm: of the underlying normal); triangular: [low, high] */
  | { kind: RandomKind; text: string; a: number; b: number; unit: string }
  /** int(a · x^b), x = the size of input k of the same task, or the task's length */
  | { kind: "polynomial"; text: string; a: number; b: number; of: { input: number } | "length" };

/** `Stage_X.Output_j` (or `.Input_j`); slots are 1-based as written in the file */
export interface SlotRef {
  stage: string;
  io: "Input" | "Output";
  slot: number;
}

export type Source = { kind: "filesystem" } | { kind: "ref"; ref: SlotRef } | { kind: "blank" };

/** Where a value or key sits in the file (1-based). */
export interface Pos {
  line: number;
  column: number;
}

export interface InputSlot {
  source: Source;
  /** the source exactly as written ("" when the slot has no Source line) */
  sourceText: string;
  size: Dist | null;
  at: Pos;
}

export type Mapping =
  | { kind: "combination"; from: SlotRef; m: number; text: string; at: Pos }
  | { kind: "external"; script: string; text: string; at: Pos };

export interface Iteration {
  num: number;
  /** the count as written: the original kept it as a string (it shows in the JSON form) */
  numText: string;
  stages: string[];
  stagesText: string;
  /** the two halves of Iteration_Substitute as the original split them (at the last comma) */
  subText: [string, string];
  /** input slot (1-based) of the first stage that later iterations re-point */
  inputSlot: number;
  target: SlotRef;
  at: Pos;
}

export interface StageDef {
  name: string;
  taskType: string;
  /** null when the file has no Task_Mode line; the 2017 library then used "time" */
  taskMode: string | null;
  numTasks: number;
  length: Dist;
  processes: string;
  readBuf: string;
  writeBuf: string;
  /** Input_Files_Each_Task as written (the JSON form prints it as a string) */
  inputsText: string;
  inputs: InputSlot[];
  mapping: Mapping | null;
  outputsText: string;
  outputs: Dist[];
  interleave: string;
  iteration: Iteration | null;
  at: { stage: Pos; length: Pos; outputs: Pos[] };
}

export interface Skeleton {
  /** Num_Stage as declared (the JSON form prints it, before iterations are unrolled) */
  numStage: number;
  stages: StageDef[];
}

/** A problem in the input, at its place in the file. */
export interface SkeletonError extends Pos {
  message: string;
  /** what the parser expected there, when that is one thing */
  expected?: string;
}

export interface SkeletonWarning extends Pos {
  code: WorkloadWarning["code"];
  message: string;
}

/**
 * Collects errors (capped, so that a broken huge file still answers quickly) and warnings.
 * Messages quote the file, so control bytes in it are escaped here, once for every message:
 * the CLI prints them to a terminal and the web page shows them.
 */
export class Issues {
  static readonly MAX = 100;
  readonly errors: SkeletonError[] = [];
  readonly warnings: SkeletonWarning[] = [];
  dropped = 0;
  error(at: Pos, message: string, expected?: string): void {
    if (this.errors.length >= Issues.MAX) this.dropped += 1;
    else
      this.errors.push({
        line: Math.max(1, at.line),
        column: Math.max(1, at.column),
        message: clean(message),
        ...(expected ? { expected: clean(expected) } : {}),
      });
  }
  warn(at: Pos, message: string, code: WorkloadWarning["code"] = "OTHER"): void {
    this.warnings.push({
      line: Math.max(1, at.line),
      column: Math.max(1, at.column),
      message: clean(message),
      code,
    });
  }
  /** the errors in file order, with a last line saying how many were left out */
  sorted(): SkeletonError[] {
    const out = [...this.errors].sort((a, b) => a.line - b.line || a.column - b.column);
    if (this.dropped) out.push({ ...out[out.length - 1]!, message: `… and ${this.dropped} more error(s)` });
    return out;
  }
}

export type ParseResult =
  | { ok: true; skeleton: Skeleton; warnings: SkeletonWarning[] }
  | { ok: false; errors: SkeletonError[]; warnings: SkeletonWarning[] };
