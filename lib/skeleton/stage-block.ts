import { distLimit, parseDistIn, type DistContext } from "./dist";
import { placeholderHint, type Line } from "./lex";
import { BlockReader } from "./reader";
import { MAX_BUFFER, MAX_PROCESSES, MAX_SLOTS, MAX_STAGES, MAX_TASKS } from "./limits";
import type { Dist, InputSlot, Issues, Iteration, Pos, StageDef } from "./types";
import { parseIterationStages, parseIterationSubstitute, parseMapping, parseSource } from "./values";

export { MAX_SLOTS } from "./limits";

/** One stage block (from its Stage_Name line to the next) of the 2014/2017 format. */
export function parseStageBlock(lines: Line[], issues: Issues): StageDef {
  const r = new BlockReader(lines, issues);
  const nameLine = r.take("Stage_Name");
  const name = stageName(nameLine, issues);
  const taskType = r.take("Task_Type");
  if (taskType && taskType.value === "")
    issues.error(
      r.at(taskType, true),
      "Task_Type needs a value: `serial` (a task on one process) or `parallel` (an MPI task over Num_Processes)",
      "`serial` or `parallel`",
    );
  else if (taskType && taskType.value !== "serial" && taskType.value !== "parallel")
    issues.warn(
      r.at(taskType, true),
      `Task_Type \`${taskType.value}\` is passed to \`task\` as it is; the task program knows serial and parallel`,
    );
  const mode = r.take("Task_Mode", true);
  if (mode && mode.value !== "time" && mode.value !== "flops")
    issues.error(
      r.at(mode, true),
      `Task_Mode must be \`time\` or \`flops\` (got \`${mode.value}\`)`,
      "time | flops",
    );
  const numTasks = whole(r.take("Num_Tasks"), issues, 1, MAX_TASKS, 1);
  const lengthLine = r.take("Task_Length");
  const length = dist(lengthLine, "length", issues, distLimit("length", mode?.value ?? null));
  const processes = whole(r.take("Num_Processes"), issues, 1, MAX_PROCESSES, 1);
  const readBuf = whole(r.take("Read_Buffer"), issues, 1, MAX_BUFFER, 65536);
  const writeBuf = whole(r.take("Write_Buffer"), issues, 1, MAX_BUFFER, 65536);
  const nIn = whole(r.take("Input_Files_Each_Task"), issues, 0, MAX_SLOTS, 0);
  const inputs = inputSlots(r, issues, nIn.n);
  const mappingLine = r.take("Input_Task_Mapping", true);
  const mapping = mappingLine
    ? value(parseMapping(mappingLine.value, r.at(mappingLine, true)), mappingLine, issues)
    : null;
  const nOut = whole(r.take("Output_Files_Each_Task"), issues, 0, MAX_SLOTS, 0);
  const outputs: Dist[] = [];
  const outputsAt: Pos[] = [];
  for (let j = 1; j <= nOut.n; j++) {
    const l = r.take(`Output_${j}.Size`);
    outputs.push(dist(l, "outputSize", issues));
    outputsAt.push(l ? r.at(l, true) : r.end());
    if (!l && !r.has(`Output_${j + 1}.Size`)) break; // one report for a missing run of lines
  }
  drainSlots(r, /^Output_(\d+)\.Size$/, nOut.n, "Output_Files_Each_Task");
  const interleave = whole(r.take("Interleave_Option"), issues, 0, 3, 0);
  const iteration = iterationLines(r, issues, nIn.n);
  r.finish();
  const def: StageDef = {
    name,
    taskType: taskType?.value || "serial",
    taskMode: mode?.value ?? null,
    numTasks: numTasks.n,
    length,
    processes: processes.text,
    readBuf: readBuf.text,
    writeBuf: writeBuf.text,
    inputsText: nIn.text,
    inputs,
    mapping,
    outputsText: nOut.text,
    outputs,
    interleave: interleave.text,
    iteration,
    at: {
      stage: nameLine ? r.at(nameLine, true) : r.end(),
      length: lengthLine ? r.at(lengthLine, true) : r.end(),
      outputs: outputsAt,
    },
  };
  checkSlots(def, issues);
  return def;
}

function stageName(l: Line | null, issues: Issues): string {
  if (!l) return "";
  const m = /^\w+/.exec(l.value);
  const at = { line: l.no, column: l.valueCol };
  if (!m) {
    issues.error(
      at,
      `\`${l.value}\` is not a stage name: use letters, digits and _, such as \`Stage_2\``,
      "Stage_2",
    );
    return `line_${l.no}`;
  }
  if (m[0] !== l.value)
    issues.warn(
      at,
      `the stage name is read as \`${m[0]}\`: the original took only the letters, digits and _ at the start of \`${l.value}\``,
    );
  if (m[0].split("_").length !== 2)
    issues.warn(
      at,
      `\`${m[0]}\` is not of the form Prefix_Suffix: the original derives directory names by splitting file names at _ (for example its inputs go to \`${m[0]}_Input_0_1\`.split('_')[:3]), so directories will look odd`,
    );
  return m[0];
}

/** A whole number as the original read it: the leading digits (`re.match(r"\d+")`), the rest ignored. */
function whole(
  l: Line | null,
  issues: Issues,
  min: number,
  max: number,
  fallback: number,
): { n: number; text: string } {
  if (!l) return { n: fallback, text: String(fallback) };
  const at = { line: l.no, column: l.valueCol };
  const m = /^\d+/.exec(l.value);
  if (!m) {
    issues.error(
      at,
      `\`${l.key}\` must be a whole number (got \`${l.value}\`)${placeholderHint(l.value)}`,
      "a whole number",
    );
    return { n: fallback, text: String(fallback) };
  }
  const rest = l.value.slice(m[0].length);
  if (rest.trim() !== "")
    issues.warn(
      { line: l.no, column: l.valueCol + m[0].length },
      `\`${l.key}\` is read as ${m[0]}: the original read the leading digits and ignored \`${rest.trim()}\``,
    );
  const n = Number(m[0]);
  if (n < min || n > max) {
    issues.error(
      at,
      `\`${l.key}\` must be ${max === Infinity ? `at least ${min}` : `between ${min} and ${max}`} (got ${m[0]})`,
      max === Infinity ? `a number ≥ ${min}` : `${min}…${max}`,
    );
    return { n: fallback, text: String(fallback) };
  }
  return { n, text: m[0] };
}

function dist(l: Line | null, ctx: DistContext, issues: Issues, max = distLimit(ctx)): Dist {
  const fallback: Dist = { kind: "uniform", text: "0", value: 0 };
  if (!l) return fallback;
  const d = parseDistIn(l.value, ctx, max);
  if (!d.ok) {
    issues.error({ line: l.no, column: l.valueCol }, d.message + placeholderHint(l.value), d.expected);
    return fallback;
  }
  if (d.ignored)
    issues.warn(
      { line: l.no, column: l.valueCol },
      `\`${d.ignored}\` after the distribution is ignored, as the original ignored it`,
    );
  if (d.note) issues.warn({ line: l.no, column: l.valueCol }, d.note, "NEGATIVE_DRAW_CLAMPED");
  return d.dist;
}

function value<T>(
  p: { ok: true; value: T } | { ok: false; message: string; expected: string },
  l: Line,
  issues: Issues,
): T | null {
  if (p.ok) return p.value;
  issues.error({ line: l.no, column: l.valueCol }, p.message, p.expected);
  return null;
}

function inputSlots(r: BlockReader, issues: Issues, n: number): InputSlot[] {
  const slots: InputSlot[] = [];
  for (let i = 1; i <= n; i++) {
    // most slots of a mapped stage have no lines: skip the look-ups for them
    if (!r.has(`Input_${i}.Source`) && !r.has(`Input_${i}.Size`)) {
      slots.push({ source: { kind: "blank" }, sourceText: "", size: null, at: r.end() });
      continue;
    }
    const src = r.take(`Input_${i}.Source`, true);
    const sizeLine = r.take(`Input_${i}.Size`, true);
    const source = src ? value(parseSource(src.value), src, issues) : null;
    const size = sizeLine ? dist(sizeLine, "inputSize", issues) : null;
    const at = src ? r.at(src, true) : sizeLine ? r.at(sizeLine, true) : r.end();
    slots.push({ source: source ?? { kind: "blank" }, sourceText: src?.value ?? "", size, at });
  }
  drainSlots(r, /^Input_(\d+)\.(Source|Size)$/, n, "Input_Files_Each_Task");
  return slots;
}

/** Reports slot lines left over after a slot loop: beyond the declared count, or out of order. */
function drainSlots(r: BlockReader, pattern: RegExp, n: number, countKey: string): void {
  for (let cur = r.current(); cur?.key && pattern.test(cur.key); cur = r.current()) {
    const k = Number(pattern.exec(cur.key)![1]);
    r.skipCurrent(
      k > n || k < 1
        ? `\`${cur.key}\`: ${countKey} is ${n}, so there is no slot ${k}`
        : `\`${cur.key}\` is out of order or repeated: slots come in order 1, 2, …${countKey.startsWith("Input") ? ", each Source before its Size" : ""}`,
    );
  }
}

function iterationLines(r: BlockReader, issues: Issues, nIn: number): Iteration | null {
  const numLine = r.take("Iteration_Num", true);
  if (!numLine) return null;
  const num = whole(numLine, issues, 1, MAX_STAGES, 1); // each iteration is at least one stage
  const stagesLine = r.take("Iteration_Stages");
  const subLine = r.take("Iteration_Substitute");
  const stages = stagesLine ? value(parseIterationStages(stagesLine.value), stagesLine, issues) : null;
  const sub = subLine ? value(parseIterationSubstitute(subLine.value), subLine, issues) : null;
  if (!stagesLine || !subLine || !stages || !sub) return null;
  if (sub.inputSlot > nIn)
    issues.error(
      r.at(subLine, true),
      `Iteration_Substitute re-points input ${sub.inputSlot}, but Input_Files_Each_Task is ${nIn}`,
    );
  return {
    num: num.n,
    numText: num.text,
    stages,
    stagesText: stagesLine.value,
    subText: sub.subText,
    inputSlot: sub.inputSlot,
    target: sub.target,
    at: r.at(numLine),
  };
}

/** Slot rules that the original enforced by crashing, or silently bent. */
export function checkSlots(def: StageDef, issues: Issues): void {
  def.inputs.forEach((s, i) => {
    if (s.source.kind === "filesystem" && !s.size)
      issues.error(
        s.at,
        `Input_${i + 1} comes from the filesystem, so it needs an \`Input_${i + 1}.Size\` line right after its Source`,
        `Input_${i + 1}.Size`,
      );
    if (s.source.kind === "blank" && s.size)
      issues.warn(s.at, `Input_${i + 1}.Size has no Source line, so it is ignored`);
  });
  const blank = def.inputs.filter((s) => s.source.kind === "blank").length;
  if (!def.mapping && blank > 0)
    issues.warn(
      def.at.stage,
      `${blank} of the ${def.inputs.length} input slot(s) of ${def.name} have no Source and no Input_Task_Mapping fills them: its tasks read fewer files than Input_Files_Each_Task says`,
    );
  if (def.mapping && blank < def.inputs.length)
    issues.warn(
      def.mapping.at,
      `Input_Task_Mapping replaces the whole input list of ${def.name}'s tasks, so its Input_i.Source lines only decide which files the setup creates`,
    );
}
