import { binomial, finishParse } from "./check";
import { parseDistIn, type DistContext } from "./dist";
import { MAX_SLOTS, MAX_TASKS } from "./limits";
import { readStructure } from "./header";
import type { Line } from "./lex";
import type { Dist, InputSlot, Issues, Mapping, ParseResult, Pos, StageDef } from "./types";

/**
 * The legacy 2013 format (MTAGS 2013 paper; TROY/OWMS), which the 2014 parser did not read:
 * per stage Num_Tasks, Task_Length, Input_Source (`filesystem` or `Stage_X.Output`),
 * Input_Files_Each_Task (k), Tasks_Each_Input_File (r), Input_File_Size, optional
 * `Input_Task_Mapping = external …`, Output_Files_Each_Task, Output_File_Size. The mapping was
 * implied by the two ratios (n files = N·k/r for N tasks). A stage is converted when that
 * mapping has a 2014 equivalent, and each choice is reported as a warning:
 *  - filesystem with r = 1: k filesystem slots;
 *  - every task reads all n files (k = n): `combination Stage_X.Output_1 n`;
 *  - one-to-one partitions (r = 1): `combination … 1` for k = 1, else k direct references,
 *    which split the files t·k … t·k+k-1 by the 2014 rule (expand with the default 2014 semantics);
 *  - all k-subsets (N = C(n, k), as the paper's all-pairs example): `combination … k`.
 * Anything else (shared initial files, other ratios, producers with several outputs) is refused
 * with the numbers. `input [c, p]x` becomes `polynomial [c, p] Input_1`; `length [c, p]x`
 * (inferred, the paper shows no example) becomes `polynomial [c, p] Length`. The 2014 defaults
 * fill the rest: Task_Type serial, Num_Processes 1, buffers 65536, Interleave_Option 0.
 */
const LEGACY_ONLY = new Set(["Input_Source", "Tasks_Each_Input_File", "Input_File_Size", "Output_File_Size"]);
const ONLY_2014 =
  /^(Task_Type|Task_Mode|Num_Processes|Read_Buffer|Write_Buffer|Interleave_Option|Iteration_\w+|Input_\d+\.(Source|Size)|Output_\d+\.Size)$/;
const KEYS = [
  "Stage_Name",
  "Num_Tasks",
  "Task_Length",
  "Input_Source",
  "Input_Files_Each_Task",
  "Tasks_Each_Input_File",
  "Input_File_Size",
  "Input_Task_Mapping",
  "Output_Files_Each_Task",
  "Output_File_Size",
];

/** A file with 2013 keys and none that only the 2014 format has; mixtures are read as 2014 files. */
export function isLegacyFormat(lines: Line[]): boolean {
  return (
    lines.some((l) => l.key !== null && LEGACY_ONLY.has(l.key)) &&
    !lines.some((l) => l.key !== null && ONLY_2014.test(l.key))
  );
}

const pos = (l: Line): Pos => ({ line: l.no, column: l.valueCol });

function legacyDist(l: Line, ctx: DistContext, issues: Issues): Dist | null {
  const poly = /^(input|length) (\[\d+, \d+\])x$/.exec(l.value);
  const text = poly ? `polynomial ${poly[2]} ${poly[1] === "input" ? "Input_1" : "Length"}` : l.value;
  const d = parseDistIn(text, ctx);
  if (!d.ok) {
    issues.error(
      pos(l),
      `${d.message} (2013 format, for example \`uniform 10s\`, \`normal [10, 2]s\` or \`input [2, 1]x\`)`,
      d.expected,
    );
    return null;
  }
  if (d.note) issues.warn(pos(l), d.note, "NEGATIVE_DRAW_CLAMPED");
  if (d.dist.kind === "triangular")
    issues.warn(
      pos(l),
      "the 2013 manual described triangular as [avg, stdev]; it is read as [low, high], as the 2014 library read it",
    );
  return d.dist;
}

function wholeNumber(l: Line | undefined, min: number, max: number, issues: Issues): number | null {
  if (!l) return null;
  if (!/^\d+$/.test(l.value) || Number(l.value) < min || Number(l.value) > max) {
    issues.error(
      pos(l),
      `\`${l.key}\` must be a whole number from ${min} to ${max} (got \`${l.value}\`)`,
      "a whole number",
    );
    return null;
  }
  return Number(l.value);
}

interface Converted {
  inputs: InputSlot[];
  mapping: Mapping | null;
  note: string;
}

/** The 2014 inputs of a stage reading `Stage_X.Output` with k files per task and r tasks per file. */
function inputsFromStage(
  producer: StageDef,
  at: Pos,
  n: number,
  k: number,
  r: number,
  issues: Issues,
): Converted | null {
  const files = producer.numTasks;
  const src = `${producer.name}.Output_1`;
  const blank = (): InputSlot[] =>
    Array.from({ length: k }, () => ({ source: { kind: "blank" }, sourceText: "", size: null, at }));
  const combination = (m: number): Converted => ({
    inputs: blank(),
    mapping: {
      kind: "combination",
      from: { stage: producer.name, io: "Output", slot: 1 },
      m,
      text: `${src} ${m}`,
      at,
    },
    note: `Input_Task_Mapping = combination ${src} ${m}`,
  });
  if (producer.outputs.length !== 1) {
    issues.error(
      at,
      `the tasks of ${producer.name} write ${producer.outputs.length} files each; the 2014 format reads one output slot at a time, so \`${producer.name}.Output\` has no equivalent`,
    );
    return null;
  }
  if (n * k !== files * r) {
    issues.error(
      at,
      `${n} task(s) × ${k} input(s) each ≠ ${files} file(s) of ${producer.name} × ${r} task(s) each: the ratios do not describe a mapping`,
    );
    return null;
  }
  if (k === files) return combination(files);
  if (r === 1 && k === 1) return combination(1);
  if (r === 1) {
    const inputs = Array.from({ length: k }, (): InputSlot => ({
      source: { kind: "ref", ref: { stage: producer.name, io: "Output", slot: 1 } },
      sourceText: src,
      size: null,
      at,
    }));
    return {
      inputs,
      mapping: null,
      note: `${k} × Input_i.Source = ${src} (task t reads files t·${k} … t·${k}+${k - 1}, the 2014 rule)`,
    };
  }
  if (binomial(files, k) === n) return combination(k);
  issues.error(
    at,
    `${n} task(s) reading ${k} of ${files} file(s), each file read by ${r} task(s): the 2014 format can express one-to-one, all-to-all and all-${k}-subset mappings, not this one; use an external mapping`,
  );
  return null;
}

function convertStage(block: Line[], done: Map<string, StageDef>, issues: Issues): StageDef | null {
  const byKey = new Map<string, Line>();
  for (const l of block) {
    if (l.key === null || !KEYS.includes(l.key))
      issues.error(
        { line: l.no, column: l.col },
        `\`${l.key ?? l.text}\` is not a key of the 2013 skeleton format`,
      );
    else if (byKey.has(l.key))
      issues.error({ line: l.no, column: l.col }, `\`${l.key}\` appears twice in this stage`);
    else byKey.set(l.key, l);
  }
  const nameLine = block[0]!;
  const need = (k: string): Line | undefined => {
    const l = byKey.get(k);
    if (!l)
      issues.error(
        { line: nameLine.no, column: nameLine.col },
        `stage ${nameLine.value} has no \`${k}\` (2013 format)`,
        k,
      );
    return l;
  };
  if (!/^\w+$/.test(nameLine.value))
    issues.error(
      pos(nameLine),
      `\`${nameLine.value}\` is not a stage name: use letters, digits and _`,
      "a name like Stage_1",
    );
  const n = wholeNumber(need("Num_Tasks"), 1, MAX_TASKS, issues);
  const k = wholeNumber(need("Input_Files_Each_Task"), 0, MAX_SLOTS, issues);
  const r = wholeNumber(need("Tasks_Each_Input_File"), 1, MAX_TASKS, issues);
  const m = wholeNumber(need("Output_Files_Each_Task"), 0, MAX_SLOTS, issues);
  const lengthLine = need("Task_Length");
  const sourceLine = need("Input_Source");
  const length = lengthLine ? legacyDist(lengthLine, "length", issues) : null;
  const outLine = m ? need("Output_File_Size") : undefined;
  const out = outLine ? legacyDist(outLine, "outputSize", issues) : null;
  const mapLine = byKey.get("Input_Task_Mapping");
  if (n === null || k === null || r === null || m === null || !length || !sourceLine || (m > 0 && !out))
    return null;
  const at = pos(sourceLine);
  let converted: Converted | null;
  if (sourceLine.value === "filesystem") {
    const sizeLine = need("Input_File_Size");
    const size = sizeLine ? legacyDist(sizeLine, "inputSize", issues) : null;
    if (r !== 1)
      issues.error(
        pos(byKey.get("Tasks_Each_Input_File")!),
        "initial files read by several tasks have no 2014 equivalent (each filesystem slot gives every task its own file)",
      );
    converted =
      size && r === 1
        ? {
            inputs: Array.from({ length: k }, () => ({
              source: { kind: "filesystem" },
              sourceText: "filesystem",
              size,
              at,
            })),
            mapping: null,
            note: `${k} filesystem input slot(s)`,
          }
        : null;
  } else {
    const p = /^(\w+)\.Output$/.exec(sourceLine.value);
    const producer = p ? done.get(p[1]!) : undefined;
    if (!producer)
      issues.error(
        at,
        p
          ? `${p[1]} is not a stage before this one`
          : `\`${sourceLine.value}\` is not a 2013 input source (filesystem | Stage_X.Output)`,
      );
    converted = producer ? inputsFromStage(producer, at, n, k, r, issues) : null;
  }
  if (!converted) return null;
  if (mapLine) {
    const ext = /^external (.+)$/i.exec(mapLine.value);
    if (!ext) {
      issues.error(
        pos(mapLine),
        "the 2013 format knew only `Input_Task_Mapping = external <script>`",
        "external <script>",
      );
      return null;
    }
    converted = {
      ...converted,
      mapping: { kind: "external", script: ext[1]!, text: ext[1]!, at: pos(mapLine) },
      note: `${converted.note}, then Input_Task_Mapping = external ${ext[1]} (its output must name files the 2014 way, e.g. Stage_1_Input_0_1)`,
    };
  }
  issues.warn(
    { line: nameLine.no, column: nameLine.valueCol },
    `${nameLine.value} (2013 format) is read as: ${converted.note}`,
  );
  const stageAt: Pos = { line: nameLine.no, column: nameLine.valueCol };
  return {
    name: nameLine.value,
    taskType: "serial",
    taskMode: null,
    numTasks: n,
    length,
    processes: "1",
    readBuf: "65536",
    writeBuf: "65536",
    inputsText: String(k),
    inputs: converted.inputs,
    mapping: converted.mapping,
    outputsText: String(m),
    outputs: Array.from({ length: m }, () => out!),
    interleave: "0",
    iteration: null,
    at: { stage: stageAt, length: pos(lengthLine!), outputs: Array.from({ length: m }, () => pos(outLine!)) },
  };
}

export function parseLegacy(lines: Line[], issues: Issues): ParseResult {
  const first = lines[0];
  issues.warn(
    first ? { line: first.no, column: first.col } : { line: 1, column: 1 },
    "this file is in the legacy 2013 skeleton format (MTAGS 2013, TROY); it is converted to the 2014 format with Task_Type serial, Num_Processes 1, Read_Buffer and Write_Buffer 65536, Interleave_Option 0",
  );
  const { numStage, blocks } = readStructure(lines, issues);
  const done = new Map<string, StageDef>();
  for (const b of blocks) {
    const st = convertStage(b, done, issues);
    if (st) done.set(st.name, st);
  }
  return finishParse({ numStage: numStage ?? done.size, stages: [...done.values()] }, issues);
}
