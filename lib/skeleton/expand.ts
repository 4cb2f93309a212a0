import { draw, numeric, type Rng } from "./dist";
import type { Skeleton, StageDef, Source } from "./types";
import type { WorkloadWarning } from "../model/workload";

/**
 * Expansion of a parsed skeleton into concrete stages, tasks and files, following the
 * original library step by step: iteration unrolling, task ids, input mapping, then lengths
 * and output sizes (which may depend on the inputs), then directories.
 *
 * `compat` selects the one behaviour that changed between versions: how a direct reference
 * (`Input_i.Source = Stage_X.Output_j`) picks files when a task has several input slots.
 * 2014 (the SC2014 demo's library): slot p of task t gets file t·n_in + p. 2017: every slot
 * gets file t·n_in (a bug that made both slots read the same file; kept to reproduce it).
 * Out-of-range references wrap around (the manual's stated intent; the code raised IndexError).
 */
export interface XFile {
  name: string;
  /** the size exactly as the original printed it ("1048576", "10404130.20") */
  sizeText: string;
  dir: string;
}

export interface XTask {
  id: string;
  stage: string;
  lengthText: string;
  inputs: XFile[];
  outputs: XFile[];
}

export interface XStage {
  def: StageDef;
  name: string;
  /** input slots after iteration rewiring */
  sources: (Source | null)[];
  tasks: XTask[];
  inputdir: string[];
  outputdir: string[];
  mode: string;
}

export interface Expanded {
  stages: XStage[];
  warnings: WorkloadWarning[];
}

export type ExpandResult = { ok: true; expanded: Expanded } | { ok: false; errors: { line: number; column: number; message: string }[] };

interface Planned {
  def: StageDef;
  name: string;
  sources: (Source | null)[];
}

function unroll(sk: Skeleton): Planned[] | string {
  const out: Planned[] = [];
  const defs = [...sk.stages];
  while (defs.length) {
    const first = defs.shift()!;
    const it = first.iteration;
    if (!it || it.num <= 1) {
      out.push({ def: first, name: first.name, sources: first.inputs.map((i) => i.source) });
      continue;
    }
    const group = [first];
    for (const extra of it.stages.slice(1)) {
      const next = defs.shift();
      if (!next || next.name !== extra) return `Iteration_Stages of ${first.name} names ${extra}, which must be the next stage block in the file (line ${first.line})`;
      group.push(next);
    }
    const names = new Set(group.map((g) => g.name));
    const nameAt = (stage: string, i: number) => (i === it.num ? stage : `${stage}_Iter_${i}`);
    for (let i = 1; i <= it.num; i++) {
      group.forEach((g, gi) => {
        const sources = g.inputs.map((slot, si): Source | null => {
          const s = slot.source;
          if (gi === 0 && i >= 2 && it.substitute.input.stage === g.name && it.substitute.input.slot === si + 1) {
            const o = it.substitute.output;
            const ref = `${nameAt(o.stage, i - 1)}`;
            return { kind: "ref", stage: ref, io: "Output", slot: o.slot, text: `${ref}.Output_${o.slot}` };
          }
          if (s?.kind === "ref" && names.has(s.stage) && gi > 0) return { ...s, stage: nameAt(s.stage, i), text: `${nameAt(s.stage, i)}.${s.io}_${s.slot}` };
          return s;
        });
        out.push({ def: g, name: nameAt(g.name, i), sources });
      });
    }
  }
  return out;
}

/** The original's directory rule: names of up to 5 `_` words keep 3, longer ones keep 5. */
export function dirOf(fileName: string): string {
  const w = fileName.split("_");
  return w.slice(0, w.length <= 5 ? 3 : 5).join("_");
}

function combinations<T>(list: T[], m: number, index: number): T[] {
  // the index-th m-combination of list in lexicographic order (itertools.combinations order)
  const out: T[] = [];
  let k = index;
  let start = 0;
  for (let r = m; r > 0; r--) {
    for (let i = start; i <= list.length - r; i++) {
      const c = binom(list.length - i - 1, r - 1);
      if (k < c) {
        out.push(list[i]!);
        start = i + 1;
        break;
      }
      k -= c;
    }
  }
  return out;
}

export function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(r);
}

/** Limits that keep one upload from exhausting the server: a million tasks, 100 million file references. */
export const MAX_TASKS = 1_000_000;
export const MAX_FILE_REFS = 100_000_000;

export function expand(sk: Skeleton, rng: Rng, compat: "2014" | "2017" = "2014"): ExpandResult {
  const plan = unroll(sk);
  if (typeof plan === "string") return { ok: false, errors: [{ line: 1, column: 1, message: plan }] };
  let tasks = 0;
  let refs = 0;
  for (const p of plan) {
    tasks += p.def.numTasks;
    refs += p.def.numTasks * (p.def.mapping?.kind === "combination" ? p.def.mapping.m : p.def.inputsPerTask);
    if (tasks > MAX_TASKS) return { ok: false, errors: [{ line: p.def.line, column: 1, message: `the skeleton expands to more than ${MAX_TASKS.toLocaleString("en")} tasks (at ${p.name}); split the workload into several runs` }] };
    if (refs > MAX_FILE_REFS) return { ok: false, errors: [{ line: p.def.line, column: 1, message: `the skeleton expands to more than ${MAX_FILE_REFS.toLocaleString("en")} input file references (at ${p.name})` }] };
  }
  const warnings: WorkloadWarning[] = [];
  const byName = new Map<string, XStage>();
  const stages: XStage[] = [];
  const errors: { line: number; column: number; message: string }[] = [];
  for (const p of plan) {
    const d = p.def;
    const st: XStage = { def: d, name: p.name, sources: p.sources, tasks: [], inputdir: [], outputdir: [], mode: d.taskMode ?? "time" };
    const nIn = d.inputsPerTask;
    if (d.mapping?.kind === "external") {
      errors.push({ line: d.line, column: 1, message: `${p.name}: an external input mapping runs a script (${d.mapping.path}); EManager does not run scripts from uploaded files. Run it yourself and use combination or direct references instead` });
    }
    const refFiles = (s: Extract<Source, { kind: "ref" }>): XFile[] | null => {
      const prod = byName.get(s.stage);
      if (!prod) {
        errors.push({ line: d.line, column: 1, message: `${p.name} reads ${s.text}, but stage ${s.stage} does not come before it` });
        return null;
      }
      return prod.tasks.map((t) => (s.io === "Output" ? t.outputs : t.inputs)[s.slot - 1]).filter((f): f is XFile => !!f);
    };
    for (let t = 0; t < d.numTasks; t++) {
      const task: XTask = { id: `${p.name}_${t}`, stage: p.name, lengthText: "0", inputs: [], outputs: [] };
      p.sources.forEach((s, slot) => {
        if (s?.kind === "filesystem") {
          const name = `${p.name}_Input_${slot}_${t + 1}`;
          const size = d.inputs[slot]?.size;
          task.inputs.push({ name, dir: dirOf(name), sizeText: size ? draw(size, rng, {}, (v) => warnings.push(clamp(p.name, `Input_${slot + 1}.Size`, v, d.line))) : "0" });
        } else if (s?.kind === "ref") {
          const list = refFiles(s);
          if (list && list.length) task.inputs.push(list[(t * nIn + (compat === "2014" ? slot : 0)) % list.length]!);
        }
      });
      if (d.mapping?.kind === "combination") {
        const m = d.mapping;
        const list = refFiles({ kind: "ref", stage: m.stage, io: "Output", slot: m.slot, text: m.text });
        if (list) {
          const total = binom(list.length, m.m);
          if (total === 0) errors.push({ line: d.line, column: 1, message: `${p.name}: combination of ${m.m} out of ${list.length} file(s) is empty` });
          else task.inputs = combinations(list, m.m, t % total);
        }
      }
      task.lengthText = draw(d.length, rng, { inputSize: (k) => numeric(task.inputs[k - 1]?.sizeText ?? "0") }, (v) => warnings.push(clamp(p.name, "Task_Length", v, d.line)));
      d.outputs.forEach((o, oi) => {
        const name = `${p.name}_Output_${oi}_${t + 1}`;
        const sizeText = draw(o, rng, { inputSize: (k) => numeric(task.inputs[k - 1]?.sizeText ?? "0"), length: () => numeric(task.lengthText) }, (v) => warnings.push(clamp(p.name, `Output_${oi + 1}.Size`, v, d.line)));
        task.outputs.push({ name, dir: dirOf(name), sizeText });
      });
      st.tasks.push(task);
    }
    const t0 = st.tasks[0];
    st.inputdir = t0 ? t0.inputs.map((f) => f.dir) : [];
    st.outputdir = t0 ? t0.outputs.map((f) => f.dir) : [];
    byName.set(p.name, st);
    stages.push(st);
  }
  return errors.length ? { ok: false, errors } : { ok: true, expanded: { stages, warnings } };
}

function clamp(stage: string, what: string, v: number, line: number): WorkloadWarning {
  return { code: "NEGATIVE_DRAW_CLAMPED", message: `${stage} ${what}: a draw of ${v.toFixed(2)} was clamped to 0`, line };
}
