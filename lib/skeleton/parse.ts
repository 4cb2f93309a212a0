import { parseDist } from "./dist";
import type { InputSlot, Iteration, Mapping, Skeleton, SkeletonError, Source, StageDef } from "./types";

/**
 * Parser for the AIMES skeleton format as the 2014/2017 library reads it: a fixed-order
 * sequence of `Key = value` lines (indentation is cosmetic, TABs are fine). The original
 * crashed on the first surprise; this one reports every problem it can find, each with its
 * line, column and what was expected, and resynchronises on the next known key.
 */
interface Line {
  no: number;
  key: string;
  value: string;
  keyCol: number;
  valueCol: number;
}

const STAGE_ORDER = [
  "Stage_Name", "Task_Type", "Task_Mode", "Num_Tasks", "Task_Length", "Num_Processes", "Read_Buffer", "Write_Buffer",
  "Input_Files_Each_Task", "Input_i", "Input_Task_Mapping", "Output_Files_Each_Task", "Output_j", "Interleave_Option",
  "Iteration_Num", "Iteration_Stages", "Iteration_Substitute",
] as const;
const LEGACY = ["Input_Source", "Tasks_Each_Input_File", "Input_File_Size", "Output_File_Size"];

function keyClass(key: string): string {
  if (/^Input_\d+\.(Source|Size)$/.test(key)) return "Input_i";
  if (/^Output_\d+\.Size$/.test(key)) return "Output_j";
  return key;
}

function tokenize(text: string, errors: SkeletonError[]): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    // The original skipped only `#\s*\w+` comments; a bare `#` broke it. Any `#` line is a comment here.
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const lead = raw.length - raw.trimStart().length;
    const eq = raw.indexOf("=");
    if (eq < 0) {
      errors.push({ line: i + 1, column: lead + 1, message: `\`${trimmed}\` is not a \`Key = value\` line`, expected: "Key = value" });
      return;
    }
    const key = raw.slice(0, eq).trim();
    const after = raw.slice(eq + 1);
    out.push({ no: i + 1, key, value: after.trim(), keyCol: lead + 1, valueCol: eq + 2 + (after.length - after.trimStart().length) });
  });
  return out;
}

class Cursor {
  i = 0;
  constructor(
    readonly lines: Line[],
    readonly errors: SkeletonError[],
  ) {}
  peek(): Line | undefined {
    return this.lines[this.i];
  }
  lastLine(): number {
    return this.lines[this.lines.length - 1]?.no ?? 1;
  }
  err(l: Line | undefined, message: string, expected?: string, atValue = false): void {
    this.errors.push({ line: l?.no ?? this.lastLine() + 1, column: l ? (atValue ? l.valueCol : l.keyCol) : 1, message, ...(expected ? { expected } : {}) });
  }
  /** Takes the line with `key`, reporting and skipping out-of-order lines; undefined if it is missing. */
  take(key: string, order: readonly string[], optional = false): Line | undefined {
    for (;;) {
      const l = this.peek();
      if (!l) {
        if (!optional) this.err(undefined, `the file ended where \`${key}\` was expected`, key);
        return undefined;
      }
      if (l.key === key) {
        this.i += 1;
        return l;
      }
      if (optional) return undefined;
      const here = order.indexOf(key);
      const found = order.indexOf(keyClass(l.key));
      if (found > here || l.key === "Stage_Name") {
        this.err(l, `expected \`${key}\` here but found \`${l.key}\`: \`${key}\` is missing or comes after \`${l.key}\` (the keys of a stage must come in a fixed order)`, key);
        return undefined;
      }
      const why = found >= 0 ? `\`${l.key}\` is out of order: it must come before \`${order[found + 1] ?? key}\`, not after` : `unknown key \`${l.key}\``;
      this.err(l, `${why}; expected \`${key}\``, key);
      this.i += 1;
    }
  }
}

function int(c: Cursor, l: Line | undefined, min = 0): number {
  if (!l) return 0;
  if (!/^\d+$/.test(l.value)) {
    c.err(l, `\`${l.key}\` must be a whole number (got \`${l.value}\`)`, "a whole number", true);
    return 0;
  }
  const v = Number(l.value);
  if (v < min) c.err(l, `\`${l.key}\` must be at least ${min}`, `a number ≥ ${min}`, true);
  return v;
}

function source(c: Cursor, l: Line): Source | null {
  if (l.value === "filesystem") return { kind: "filesystem" };
  const m = /^(\w+)\.(Output|Input)_(\d+)$/.exec(l.value);
  if (!m) {
    c.err(l, `\`${l.value}\` is not a source`, "filesystem or Stage_X.Output_j or Stage_X.Input_j", true);
    return null;
  }
  return { kind: "ref", stage: m[1]!, io: m[2] as "Output" | "Input", slot: Number(m[3]), text: l.value };
}

function mapping(c: Cursor, l: Line): Mapping | null {
  const comb = /^combination (\w+)\.Output_(\d+) (\d+)$/.exec(l.value);
  if (comb) return { kind: "combination", stage: comb[1]!, slot: Number(comb[2]), m: Number(comb[3]), text: l.value };
  const ext = /^external (\S+)$/.exec(l.value);
  if (ext) return { kind: "external", path: ext[1]!, text: l.value };
  c.err(l, `\`${l.value}\` is not an input mapping`, "combination Stage_X.Output_j m | external <script>", true);
  return null;
}

function inputs(c: Cursor, count: number): InputSlot[] {
  const slots: InputSlot[] = Array.from({ length: count }, () => ({ source: null, size: null }));
  for (let l = c.peek(); l && /^Input_\d+\.(Source|Size)$/.test(l.key); l = c.peek()) {
    c.i += 1;
    const [, n, what] = /^Input_(\d+)\.(Source|Size)$/.exec(l.key)!;
    const slot = slots[Number(n) - 1];
    if (!slot) {
      c.err(l, `\`${l.key}\` names input ${n}, but Input_Files_Each_Task is ${count}`, `Input_1 … Input_${count}`);
      continue;
    }
    if (what === "Source") slot.source = source(c, l);
    else {
      const d = parseDist(l.value, false, false);
      if (d.ok) slot.size = d.dist;
      else c.err(l, d.message, d.expected, true);
    }
  }
  slots.forEach((s, i) => {
    if (s.source?.kind === "filesystem" && !s.size) c.err(c.peek(), `Input_${i + 1} comes from the filesystem but has no \`Input_${i + 1}.Size\``, `Input_${i + 1}.Size`);
  });
  return slots;
}

function outputs(c: Cursor, count: number): StageDef["outputs"] {
  const out: StageDef["outputs"] = [];
  for (let l = c.peek(); l && /^Output_\d+\.Size$/.test(l.key); l = c.peek()) {
    c.i += 1;
    const n = Number(/^Output_(\d+)/.exec(l.key)![1]);
    if (n !== out.length + 1) c.err(l, `expected \`Output_${out.length + 1}.Size\` here, found \`${l.key}\``, `Output_${out.length + 1}.Size`);
    const d = parseDist(l.value, true, true);
    if (d.ok) out.push(d.dist);
    else c.err(l, d.message, d.expected, true);
  }
  if (out.length !== count) c.err(c.peek(), `Output_Files_Each_Task is ${count} but ${out.length} \`Output_j.Size\` line(s) follow`, `${count} Output_j.Size lines`);
  return out;
}

function iteration(c: Cursor, order: readonly string[]): Iteration | null {
  const num = c.take("Iteration_Num", order, true);
  if (!num) return null;
  const st = c.take("Iteration_Stages", order);
  const sub = c.take("Iteration_Substitute", order);
  const n = int(c, num, 1);
  const stages = st ? st.value.split(", ").map((s) => s.trim()) : [];
  const m = sub ? /^(\w+)\.Input_(\d+), (\w+)\.Output_(\d+)$/.exec(sub.value) : null;
  if (sub && !m) c.err(sub, `\`${sub.value}\` is not an iteration substitute`, "Stage_A.Input_i, Stage_B.Output_j", true);
  if (!st || !m) return null;
  return { num: n, stages, substitute: { input: { stage: m[1]!, slot: Number(m[2]) }, output: { stage: m[3]!, slot: Number(m[4]) } }, text: { stages: st.value, substitute: sub!.value } };
}

function stage(c: Cursor): StageDef | null {
  const order = STAGE_ORDER;
  const name = c.take("Stage_Name", order);
  if (!name) return null;
  if (!/^\w+$/.test(name.value)) c.err(name, `stage name \`${name.value}\` may hold only letters, digits and _`, "a name like Stage_1", true);
  const taskType = c.take("Task_Type", order)?.value ?? "serial";
  const mode = c.take("Task_Mode", order, true);
  if (mode && mode.value !== "time" && mode.value !== "flops") c.err(mode, `Task_Mode must be time or flops (got \`${mode.value}\`)`, "time | flops", true);
  const numTasks = int(c, c.take("Num_Tasks", order), 1);
  const lenLine = c.take("Task_Length", order);
  const len = lenLine ? parseDist(lenLine.value, false, true) : null;
  if (lenLine && len && !len.ok) c.err(lenLine, len.message, len.expected, true);
  const proc = c.take("Num_Processes", order);
  int(c, proc, 1);
  const rb = c.take("Read_Buffer", order);
  int(c, rb, 1);
  const wb = c.take("Write_Buffer", order);
  int(c, wb, 1);
  const nIn = int(c, c.take("Input_Files_Each_Task", order));
  const ins = inputs(c, nIn);
  const mapLine = c.take("Input_Task_Mapping", order, true);
  const map = mapLine ? mapping(c, mapLine) : null;
  const nOut = int(c, c.take("Output_Files_Each_Task", order));
  const outs = outputs(c, nOut);
  const il = c.take("Interleave_Option", order);
  if (il && !/^[0-3]$/.test(il.value)) c.err(il, `Interleave_Option must be 0, 1, 2 or 3 (got \`${il.value}\`)`, "0..3", true);
  const iter = iteration(c, order);
  return {
    name: name.value, taskType, taskMode: mode?.value ?? null, numTasks, length: len?.ok ? len.dist : { kind: "uniform", text: "0" },
    processes: proc?.value ?? "1", readBuf: rb?.value ?? "65536", writeBuf: wb?.value ?? "65536", inputsPerTask: nIn, inputs: ins,
    mapping: map, outputsPerTask: nOut, outputs: outs, interleave: il?.value ?? "0", iteration: iter, line: name.no,
  };
}

export type ParseResult = { ok: true; skeleton: Skeleton } | { ok: false; errors: SkeletonError[] };

export function parseAimes(text: string): ParseResult {
  const errors: SkeletonError[] = [];
  const lines = tokenize(text, errors);
  const legacy = lines.find((l) => LEGACY.includes(l.key));
  if (legacy) {
    return {
      ok: false,
      errors: [{
        line: legacy.no, column: legacy.keyCol, expected: "the 2014 skeleton format",
        message: `\`${legacy.key}\` belongs to the legacy 2013 (MTAGS/TROY) skeleton format, which defined the mapping by Input_Files_Each_Task and Tasks_Each_Input_File ratios; rewrite it in the 2014 format (Input_i.Source, Input_i.Size, Output_j.Size)`,
      }],
    };
  }
  const c = new Cursor(lines, errors);
  const ns = c.take("Num_Stage", ["Num_Stage"]);
  const numStage = int(c, ns, 1);
  const stages: StageDef[] = [];
  for (let s = 0; s < numStage && c.peek(); s++) {
    const st = stage(c);
    if (st) stages.push(st);
    else if (c.peek()?.key !== "Stage_Name") c.i += 1;
  }
  if (ns && stages.length < numStage && errors.length === 0) c.err(undefined, `Num_Stage is ${numStage} but the file has ${stages.length} stage block(s)`, `${numStage} stage blocks`);
  if (c.peek()) c.err(c.peek(), `unexpected \`${c.peek()!.key}\` after the last of the ${numStage} stage(s) that Num_Stage announces`);
  const names = new Set<string>();
  for (const st of stages) {
    if (names.has(st.name)) errors.push({ line: st.line, column: 1, message: `stage \`${st.name}\` is defined twice` });
    names.add(st.name);
  }
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return errors.length ? { ok: false, errors } : { ok: true, skeleton: { numStage, stages } };
}
