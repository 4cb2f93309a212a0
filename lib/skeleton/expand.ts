import { checkSkeleton } from "./check";
import { distLimit, distText } from "./dist";
import type { Planned } from "./iterate";
import { combinationsForTasks, externalLines } from "./mapping";
import { leadingNumber } from "./py-format";
import { seededRng } from "./rng";
import { drawColumn, type DrawStats } from "./sample";
import {
  Issues,
  type Dist,
  type Pos,
  type Skeleton,
  type SkeletonError,
  type SkeletonWarning,
  type SlotRef,
  type StageDef,
} from "./types";
import { refText } from "./values";

/**
 * Expansion of a parsed skeleton into concrete stages, tasks and files, step by step as the
 * original's `generate_tasks` did it: input files (filesystem, direct references, then the
 * mapping that may replace them), task lengths (which may depend on input sizes), output
 * files (which may depend on either), then the per-slot directories (`setdir`).
 *
 * `compat` is the one behaviour that changed between library versions, a direct reference
 * (`Input_i.Source = Stage_X.Output_j`) when a task has several input slots: with n_in slots,
 * task t's p-th referenced slot gets file t·n_in + p in 2014 (the SC2014 demo's library), and
 * file t·n_in for every slot in 2017 (a misplaced reset, kept so its outputs can be reproduced).
 * Past the end of the producer's files the index wraps around, with a warning (the manual said
 * files are reused cyclically; the code raised IndexError).
 */
export interface XFile {
  name: string;
  /** the size exactly as the original printed it ("1048576", "10404130.20", "1048576B") */
  sizeText: string;
  /** the file's directory by the original's rule (see dirOf) */
  dir: string;
}

export interface XTask {
  id: string;
  lengthText: string;
  inputs: XFile[];
  outputs: XFile[];
}

export interface XStage extends Planned {
  /** Task_Mode, or "time" when the file has none */
  mode: string;
  tasks: XTask[];
  /** per slot, the directory of task 0's file (the original printed every task's slot i under it) */
  inputdir: string[];
  outputdir: string[];
}

export type Compat = "2014" | "2017";

/**
 * Generated files and tasks keep their name as a shared prefix and a number, and build the string
 * when it is read: at a million tasks a stored name per file and id per task cost a third of
 * the heap (Node keeps 8-byte pointers, a short concatenated string is 56 bytes).
 */
class NumberedFile implements XFile {
  constructor(
    private readonly prefix: string,
    private readonly n: number,
    readonly sizeText: string,
    readonly dir: string,
  ) {}
  get name(): string {
    return this.prefix + this.n;
  }
}

class NumberedTask implements XTask {
  lengthText = "0";
  constructor(
    private readonly prefix: string,
    private readonly n: number,
    public inputs: XFile[],
    public outputs: XFile[],
  ) {}
  get id(): string {
    return this.prefix + this.n;
  }
}

export interface Expanded {
  /** the file's base name without its extension, as the original named the application */
  name: string;
  fileName: string;
  seed: number;
  compat: Compat;
  numStage: number;
  stages: XStage[];
  warnings: SkeletonWarning[];
}

export interface ExpandOptions {
  seed?: number;
  compat?: Compat;
  fileName?: string;
  /** the output of each external mapping script, keyed by stage name or by the script as written */
  external?: Record<string, string>;
}

export type ExpandResult =
  { ok: true; expanded: Expanded } | { ok: false; errors: SkeletonError[]; warnings: SkeletonWarning[] };

/** The original's directory rule (`setdir`): names of up to 5 `_` words keep 3, longer ones keep 5. */
export function dirOf(fileName: string): string {
  const w = fileName.split("_");
  return w.slice(0, w.length > 5 ? 5 : 3).join("_");
}

/** `skeleton_demo_SC2014.conf` → `skeleton_demo_SC2014` (the last extension only, as skeleton_api did) */
export function applicationName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, "");
  return base.includes(".") ? base.slice(0, base.lastIndexOf(".")) : base || "skeleton";
}

const numeric = (s: string): number => {
  const v = leadingNumber(s);
  return Number.isNaN(v) ? 0 : v;
};

interface Ctx {
  opts: Required<Pick<ExpandOptions, "seed" | "compat">> & ExpandOptions;
  issues: Issues;
  byName: Map<string, XStage>;
  /** every file of the stages generated so far, by name, for external mappings */
  byFile: Map<string, XFile>;
}

function filesOf(ref: SlotRef, cx: Ctx): XFile[] {
  const prod = cx.byName.get(ref.stage)!;
  return prod.tasks
    .map((t) => (ref.io === "Output" ? t.outputs : t.inputs)[ref.slot - 1])
    .filter((f): f is XFile => f !== undefined);
}

function column(p: Planned, field: string, d: Dist, at: Pos, tasks: XTask[], cx: Ctx): string[] {
  const stats: DrawStats = { clamped: 0, overflow: 0 };
  const ctx = (t: number) => ({
    inputSize: (k: number) => tasks[t]!.inputs[k - 1]?.sizeText,
    lengthText: () => tasks[t]!.lengthText,
  });
  const max = distLimit(field === "Task_Length" ? "length" : "outputSize", p.def.taskMode);
  const out = drawColumn(
    d,
    tasks.length,
    seededRng(cx.opts.seed, `${p.name}/${field}`),
    ctx,
    stats,
    numeric,
    max,
  );
  if (stats.clamped)
    cx.issues.warn(
      at,
      `${p.name} ${field} (${distText(d)}): ${stats.clamped} of ${tasks.length} draw(s) were negative and were clamped to 0`,
      "NEGATIVE_DRAW_CLAMPED",
    );
  if (stats.overflow)
    cx.issues.error(
      at,
      `${p.name} ${field} (${distText(d)}): ${stats.overflow} value(s) are above the limit of ${max.toLocaleString("en")} or too large for a number (the original raised OverflowError)`,
    );
  return out;
}

function directInputs(p: Planned, tasks: XTask[], cx: Ctx): void {
  const nIn = p.def.inputs.length;
  let pointer = 0; // 2014: counts the referenced slots before this one
  let slot = 0; // where this source's file goes in each task's input list (blank slots add none)
  p.sources.forEach((s, i) => {
    const at = p.def.inputs[i]!.at;
    if (s.kind === "filesystem") {
      const sizes = column(p, `Input_${i + 1}.Size`, p.def.inputs[i]!.size!, at, tasks, cx);
      const dir = dirOf(`${p.name}_Input_${i}_1`);
      const prefix = `${p.name}_Input_${i}_`; // one prefix string shared by a million names
      tasks.forEach((t, ti) => (t.inputs[slot] = new NumberedFile(prefix, ti + 1, sizes[ti]!, dir)));
      slot += 1;
    } else if (s.kind === "ref") {
      const files = filesOf(s.ref, cx);
      const offset = cx.opts.compat === "2014" ? pointer : 0;
      let wrapped = 0;
      tasks.forEach((t, ti) => {
        const k = ti * nIn + offset;
        if (k >= files.length) wrapped += 1;
        t.inputs[slot] = files[k % files.length]!;
      });
      slot += 1;
      if (wrapped)
        cx.issues.warn(
          at,
          `${p.name} reads ${refText(s.ref)}: ${wrapped} of its ${tasks.length} task(s) index past the ${files.length} file(s) and wrap around to the start (the original raised IndexError)`,
        );
      pointer += 1;
    }
  });
}

function mappedInputs(p: Planned, tasks: XTask[], cx: Ctx): void {
  const m = p.def.mapping;
  if (m?.kind === "combination") {
    const combos = combinationsForTasks(filesOf(m.from, cx), m.m, tasks.length);
    tasks.forEach((t, ti) => (t.inputs = combos[ti]!));
  } else if (m?.kind === "external") {
    const data = cx.opts.external?.[p.def.name] ?? cx.opts.external?.[m.script];
    if (data === undefined) {
      cx.issues.error(
        m.at,
        `${p.name} maps its inputs with the external script \`${m.script}\`, which EManager does not run. Run it yourself and pass its output (one line per task, file names separated by spaces), e.g. \`emanager skeleton expand FILE --external ${p.def.name}=OUTPUT.txt\`, or use \`combination\` instead`,
      );
      return;
    }
    const lines = externalLines(data, tasks.length);
    if (!lines.ok) return cx.issues.error(m.at, `${p.name} (external mapping): ${lines.message}`);
    const missing = new Set<string>();
    tasks.forEach((t, ti) => {
      t.inputs = lines.lines[ti]!.flatMap((n) => {
        // Files are named without their directory until setdir; accept either spelling.
        const f = cx.byFile.get(n) ?? cx.byFile.get(n.slice(n.lastIndexOf("/") + 1));
        if (!f) missing.add(n);
        return f ? [f] : [];
      });
    });
    if (missing.size)
      cx.issues.error(
        m.at,
        `${p.name} (external mapping): ${[...missing].slice(0, 3).join(", ")}${missing.size > 3 ? ` and ${missing.size - 3} more` : ""} are not files of an earlier stage`,
      );
  }
}

/** setdir: one directory per slot from task 0; warns where another task's file lives elsewhere. */
function setdir(st: XStage, cx: Ctx): void {
  const t0 = st.tasks[0];
  st.inputdir = t0 ? t0.inputs.map((f) => f.dir) : [];
  st.outputdir = t0 ? t0.outputs.map((f) => f.dir) : [];
  const off = st.tasks.reduce((n, t) => n + t.inputs.filter((f, i) => st.inputdir[i] !== f.dir).length, 0);
  if (off)
    cx.issues.warn(
      st.def.at.stage,
      `${st.name}: ${off} input file(s) are not in the directory of task 0's file in the same slot; the original's commands print every slot under task 0's directory, so its paths for them do not exist (runs use the real paths)`,
    );
}

function generate(p: Planned, cx: Ctx): XStage {
  const d: StageDef = p.def;
  const idPrefix = `${p.name}_`;
  // lists of their final length: arrays grown by push keep room for 16 more, most of the heap at a million tasks
  const nDirect = p.sources.filter((s) => s.kind !== "blank").length;
  const nOut = d.outputs.length;
  const tasks: XTask[] = Array.from(
    { length: d.numTasks },
    (_, t) => new NumberedTask(idPrefix, t, new Array<XFile>(nDirect), new Array<XFile>(nOut)),
  );
  directInputs(p, tasks, cx);
  mappedInputs(p, tasks, cx);
  const lengths = column(p, "Task_Length", d.length, d.at.length, tasks, cx);
  tasks.forEach((t, ti) => (t.lengthText = lengths[ti]!));
  d.outputs.forEach((o, j) => {
    const sizes = column(p, `Output_${j + 1}.Size`, o, d.at.outputs[j] ?? d.at.stage, tasks, cx);
    const dir = dirOf(`${p.name}_Output_${j}_1`);
    const prefix = `${p.name}_Output_${j}_`;
    tasks.forEach((t, ti) => (t.outputs[j] = new NumberedFile(prefix, ti + 1, sizes[ti]!, dir)));
  });
  const st: XStage = { ...p, mode: d.taskMode ?? "time", tasks, inputdir: [], outputdir: [] };
  setdir(st, cx);
  return st;
}

export function expandSkeleton(sk: Skeleton, options: ExpandOptions = {}): ExpandResult {
  const opts = { ...options, seed: options.seed ?? 0, compat: options.compat ?? "2014" };
  const checks = new Issues();
  const planned = checkSkeleton(sk, checks);
  if (checks.errors.length) return { ok: false, errors: checks.sorted(), warnings: [] };
  const cx: Ctx = { opts, issues: new Issues(), byName: new Map(), byFile: new Map() };
  const needFiles = sk.stages.some((s) => s.mapping?.kind === "external");
  const stages: XStage[] = [];
  for (const p of planned) {
    const st = generate(p, cx);
    cx.byName.set(st.name, st);
    if (needFiles)
      for (const t of st.tasks) for (const f of [...t.inputs, ...t.outputs]) cx.byFile.set(f.name, f);
    stages.push(st);
  }
  if (cx.issues.errors.length) return { ok: false, errors: cx.issues.sorted(), warnings: cx.issues.warnings };
  const fileName = opts.fileName ?? "skeleton";
  return {
    ok: true,
    expanded: {
      name: applicationName(fileName),
      fileName,
      seed: opts.seed,
      compat: opts.compat,
      numStage: sk.numStage,
      stages,
      warnings: cx.issues.warnings,
    },
  };
}
