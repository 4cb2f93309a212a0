import { unroll, type Planned } from "./iterate";
import { MAX_FILE_REFS, MAX_STAGES, MAX_TASKS } from "./limits";
import { refText } from "./values";
import type { Issues, ParseResult, Pos, Skeleton, SlotRef, StageDef } from "./types";

/**
 * Checks across stages, on the unrolled stage list, before anything is generated: every
 * reference points at an earlier stage and an existing slot, combinations are not empty,
 * polynomials read inputs the tasks have, and the expansion stays within the limits. The
 * original found these by crashing (IndexError, ZeroDivisionError) half-way through.
 */

export { MAX_TASKS, MAX_FILE_REFS, MAX_STAGES } from "./limits";

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

function checkRef(
  ref: SlotRef,
  at: Pos,
  p: Planned,
  shapes: Map<string, Shape>,
  later: Set<string>,
  issues: Issues,
): Shape | null {
  const prod = shapes.get(ref.stage);
  if (!prod) {
    const why =
      ref.stage === p.name
        ? "its own files"
        : later.has(ref.stage)
          ? `${ref.stage}, which comes later`
          : `${ref.stage}, which does not exist`;
    issues.error(
      at,
      `${p.name} reads ${refText(ref)}: a stage can only read files of stages before it, and this is ${why}`,
    );
    return null;
  }
  const count = ref.io === "Output" ? prod.outputs : prod.inputsPerTask;
  if (count !== null && ref.slot > count) {
    issues.error(
      at,
      `${p.name} reads ${refText(ref)}, but the tasks of ${ref.stage} have ${count} ${ref.io.toLowerCase()} file(s)`,
    );
    return null;
  }
  return prod;
}

function inputsPerTask(
  p: Planned,
  shapes: Map<string, Shape>,
  later: Set<string>,
  issues: Issues,
): number | null {
  const m = p.def.mapping;
  if (m?.kind === "external") return null;
  if (m?.kind === "combination") {
    const prod = checkRef(m.from, m.at, p, shapes, later, issues);
    if (prod && binomial(prod.numTasks, m.m) === 0)
      issues.error(
        m.at,
        `combination of ${m.m} out of ${prod.numTasks} file(s) of ${refText(m.from)} is empty, so no task would get inputs (the original divided by zero)`,
      );
    return m.m;
  }
  return p.sources.filter((s) => s.kind !== "blank").length;
}

function checkPolynomials(def: StageDef, name: string, nIn: number | null, issues: Issues): void {
  const check = (k: number, at: Pos, what: string) => {
    if (nIn !== null && k > nIn)
      issues.error(
        at,
        `${what} of ${name} is a polynomial of Input_${k}, but its tasks have ${nIn} input file(s)`,
      );
  };
  if (def.length.kind === "polynomial" && def.length.of !== "length")
    check(def.length.of.input, def.at.length, "Task_Length");
  def.outputs.forEach((o, j) => {
    if (o.kind === "polynomial" && o.of !== "length")
      check(o.of.input, def.at.outputs[j] ?? def.at.stage, `Output_${j + 1}.Size`);
  });
}

/** files per task as far as the definition says (an external mapping counts its slots) */
const filesPerTask = (d: StageDef): number =>
  (d.mapping?.kind === "combination" ? d.mapping.m : d.inputs.length) + d.outputs.length;

/**
 * The size of the expansion, computed from the counts alone, before `unroll` builds a stage per
 * iteration: a group of g stages iterated r times becomes r·g stages. The error stands at the
 * Iteration_Num line when the iteration is what makes it too large.
 */
export function checkTotals(sk: Skeleton, issues: Issues): boolean {
  let tasks = 0;
  let stages = 0;
  let refs = 0;
  for (let i = 0; i < sk.stages.length; i++) {
    const d = sk.stages[i]!;
    const it = d.iteration;
    // unroll takes the group's other members as the next blocks, by position
    const group = it ? sk.stages.slice(i, i + Math.max(1, it.stages.length)) : [d];
    const r = it ? it.num : 1;
    const gTasks = group.reduce((n, g) => n + g.numTasks, 0);
    const gRefs = group.reduce((n, g) => n + g.numTasks * filesPerTask(g), 0);
    tasks += r * gTasks;
    stages += r * group.length;
    refs += r * gRefs;
    const at = it && r > 1 ? it.at : d.at.stage;
    const why =
      it && r > 1
        ? ` (Iteration_Num ${it.num} × ${group.length} stage(s) of ${gTasks.toLocaleString("en")} task(s))`
        : "";
    if (tasks > MAX_TASKS)
      issues.error(
        at,
        `the skeleton expands to more than ${MAX_TASKS.toLocaleString("en")} tasks at ${d.name}${why}; split the workload into several runs`,
      );
    else if (stages > MAX_STAGES)
      issues.error(
        at,
        `the skeleton expands to more than ${MAX_STAGES.toLocaleString("en")} stages at ${d.name}${why}`,
      );
    else if (refs > MAX_FILE_REFS)
      issues.error(
        at,
        `the skeleton expands to more than ${MAX_FILE_REFS.toLocaleString("en")} input and output files at ${d.name}${why}: tasks × files per task is too large`,
      );
    else {
      i += group.length - 1;
      continue;
    }
    return false;
  }
  return true;
}

/** Runs the checks; returns the unrolled stages (also when some checks failed; none when the totals are too large). */
export function checkSkeleton(sk: Skeleton, issues: Issues): Planned[] {
  const seen = new Map<string, StageDef>();
  for (const d of sk.stages) {
    const first = seen.get(d.name);
    if (first)
      issues.error(d.at.stage, `stage ${d.name} is defined twice (first at line ${first.at.stage.line})`);
    else seen.set(d.name, d);
  }
  if (!checkTotals(sk, issues)) return [];
  const planned = unroll(sk, issues);
  const later = new Set(planned.map((p) => p.name));
  const shapes = new Map<string, Shape>();
  for (const p of planned) {
    later.delete(p.name);
    if (shapes.has(p.name))
      issues.error(
        p.def.at.stage,
        `iteration produces a stage named ${p.name}, which another stage already has`,
      );
    p.sources.forEach((s, i) => {
      if (s.kind === "ref") checkRef(s.ref, p.def.inputs[i]!.at, p, shapes, later, issues);
    });
    const nIn = inputsPerTask(p, shapes, later, issues);
    checkPolynomials(p.def, p.name, nIn, issues);
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
