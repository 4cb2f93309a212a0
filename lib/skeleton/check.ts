import { unroll, type Planned } from "./iterate";
import { refText } from "./values";
import type { Issues, ParseResult, Pos, Skeleton, SlotRef, StageDef } from "./types";

/**
 * Checks across stages, on the unrolled stage list, before anything is generated: every
 * reference points at an earlier stage and an existing slot, combinations are not empty,
 * polynomials read inputs the tasks have, and the expansion stays within the limits. The
 * original found these by crashing (IndexError, ZeroDivisionError) half-way through.
 */

/** Limits that keep one upload from exhausting the server. */
export const MAX_TASKS = 1_000_000;
export const MAX_FILE_REFS = 100_000_000;

interface Shape {
  numTasks: number;
  outputs: number;
  /** input files per task, or null when an external mapping decides it per task */
  inputsPerTask: number | null;
}

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const r = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= r; i++) {
    c = (c * (n - r + i)) / i;
    if (c > Number.MAX_SAFE_INTEGER) return Infinity; // only "more than any task index" matters then
  }
  return Math.round(c);
}

function checkRef(ref: SlotRef, at: Pos, p: Planned, shapes: Map<string, Shape>, later: Set<string>, issues: Issues): Shape | null {
  const prod = shapes.get(ref.stage);
  if (!prod) {
    const why = ref.stage === p.name ? "its own files" : later.has(ref.stage) ? `${ref.stage}, which comes later` : `${ref.stage}, which does not exist`;
    issues.error(at, `${p.name} reads ${refText(ref)}: a stage can only read files of stages before it, and this is ${why}`);
    return null;
  }
  const count = ref.io === "Output" ? prod.outputs : prod.inputsPerTask;
  if (count !== null && ref.slot > count) {
    issues.error(at, `${p.name} reads ${refText(ref)}, but the tasks of ${ref.stage} have ${count} ${ref.io.toLowerCase()} file(s)`);
    return null;
  }
  return prod;
}

function inputsPerTask(p: Planned, shapes: Map<string, Shape>, later: Set<string>, issues: Issues): number | null {
  const m = p.def.mapping;
  if (m?.kind === "external") return null;
  if (m?.kind === "combination") {
    const prod = checkRef(m.from, m.at, p, shapes, later, issues);
    if (prod && binomial(prod.numTasks, m.m) === 0) issues.error(m.at, `combination of ${m.m} out of ${prod.numTasks} file(s) of ${refText(m.from)} is empty, so no task would get inputs (the original divided by zero)`);
    return m.m;
  }
  return p.sources.filter((s) => s.kind !== "blank").length;
}

function checkPolynomials(def: StageDef, name: string, nIn: number | null, issues: Issues): void {
  const check = (k: number, at: Pos, what: string) => {
    if (nIn !== null && k > nIn) issues.error(at, `${what} of ${name} is a polynomial of Input_${k}, but its tasks have ${nIn} input file(s)`);
  };
  if (def.length.kind === "polynomial" && def.length.of !== "length") check(def.length.of.input, def.at.length, "Task_Length");
  def.outputs.forEach((o, j) => {
    if (o.kind === "polynomial" && o.of !== "length") check(o.of.input, def.at.outputs[j] ?? def.at.stage, `Output_${j + 1}.Size`);
  });
}

/** Runs the checks; returns the unrolled stages (also when some checks failed). */
export function checkSkeleton(sk: Skeleton, issues: Issues): Planned[] {
  const seen = new Map<string, StageDef>();
  for (const d of sk.stages) {
    const first = seen.get(d.name);
    if (first) issues.error(d.at.stage, `stage ${d.name} is defined twice (first at line ${first.at.stage.line})`);
    else seen.set(d.name, d);
  }
  const planned = unroll(sk, issues);
  const later = new Set(planned.map((p) => p.name));
  const shapes = new Map<string, Shape>();
  let tasks = 0;
  let refs = 0;
  for (const p of planned) {
    later.delete(p.name);
    if (shapes.has(p.name)) issues.error(p.def.at.stage, `iteration produces a stage named ${p.name}, which another stage already has`);
    p.sources.forEach((s, i) => {
      if (s.kind === "ref") checkRef(s.ref, p.def.inputs[i]!.at, p, shapes, later, issues);
    });
    const nIn = inputsPerTask(p, shapes, later, issues);
    checkPolynomials(p.def, p.name, nIn, issues);
    tasks += p.def.numTasks;
    refs += p.def.numTasks * (nIn ?? p.def.inputs.length);
    if (tasks > MAX_TASKS) issues.error(p.def.at.stage, `the skeleton expands to more than ${MAX_TASKS.toLocaleString("en")} tasks (at ${p.name}); split the workload into several runs`);
    else if (refs > MAX_FILE_REFS) issues.error(p.def.at.stage, `the skeleton expands to more than ${MAX_FILE_REFS.toLocaleString("en")} input file references (at ${p.name})`);
    if (tasks > MAX_TASKS || refs > MAX_FILE_REFS) break;
    shapes.set(p.name, { numTasks: p.def.numTasks, outputs: p.def.outputs.length, inputsPerTask: nIn });
  }
  return planned;
}

/** The shared ending of every parser: cross-stage checks once the stages read cleanly, then the result. */
export function finishParse(skeleton: Skeleton, issues: Issues): ParseResult {
  if (issues.errors.length === 0) checkSkeleton(skeleton, issues);
  if (issues.errors.length) return { ok: false, errors: issues.sorted(), warnings: issues.warnings };
  return { ok: true, skeleton, warnings: issues.warnings };
}
