import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { z } from "zod";
import { finishParse } from "./check";
import { distLimit, parseDistIn, type DistContext } from "./dist";
import { MAX_BUFFER, MAX_PROCESSES, MAX_SLOTS, MAX_STAGES, MAX_TASKS } from "./limits";
import { checkSlots } from "./stage-block";
import {
  Issues,
  type Dist,
  type InputSlot,
  type Iteration,
  type ParseResult,
  type Pos,
  type StageDef,
} from "./types";
import { parseIterationSubstitute, parseMapping, parseSource } from "./values";

/**
 * The second way to write a skeleton: JSON or YAML (YAML is a superset of JSON) with named
 * fields, mapping onto the same model as the AIMES text, so expansion and emitters behave the
 * same. Distribution, source and mapping values use the AIMES strings (`uniform 10`,
 * `normal [10, 2]`, `filesystem`, `Stage_1.Output_1`, `combination Stage_1.Output_1 2`).
 * Unknown fields are errors (a typo should not silently change the workload). Errors carry the
 * line and column of the offending field. Reference: lib/skeleton/FORMAT.md.
 *
 *   stages:                       # one entry per stage block, in execution order
 *     - name: Stage_1             # \w+ ; Prefix_Suffix keeps the original's directory names
 *       type: serial              # Task_Type, default serial
 *       mode: time                # Task_Mode: time | flops (optional)
 *       tasks: 20                 # Num_Tasks ≥ 1
 *       length: uniform 10        # Task_Length (seconds, or FLOPs in flops mode)
 *       processes: 1              # Num_Processes (cores per task), default 1
 *       readBuffer: 65536         # Read_Buffer, default 65536
 *       writeBuffer: 65536        # Write_Buffer, default 65536
 *       inputs:                   # Input_i.Source / Input_i.Size, i = 1…
 *         - { source: filesystem, size: uniform 1048576 }
 *       inputsPerTask: 1          # Input_Files_Each_Task, default len(inputs); extra slots are blank
 *       mapping: combination Stage_0.Output_1 2   # Input_Task_Mapping (optional)
 *       outputs: [uniform 20000]  # Output_j.Size, j = 1…
 *       interleave: 0             # Interleave_Option 0…3, default 0
 *       iteration: { num: 3, stages: [Stage_1], substitute: "Stage_1.Input_1, Stage_1.Output_1" }
 */
const count = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);

export const ZStructuredStage = z.strictObject({
  name: z.string().regex(/^\w+$/, "a stage name may hold only letters, digits and _"),
  type: z
    .string()
    .min(1)
    .regex(/^[^\x00-\x1f\x7f-\x9f]+$/, "a task type may not hold control characters")
    .default("serial"),
  mode: z.enum(["time", "flops"]).optional(),
  tasks: count(1, MAX_TASKS),
  length: z.string(),
  processes: count(1, MAX_PROCESSES).default(1),
  readBuffer: count(1, MAX_BUFFER).default(65536),
  writeBuffer: count(1, MAX_BUFFER).default(65536),
  inputs: z
    .array(z.strictObject({ source: z.string().optional(), size: z.string().optional() }))
    .max(MAX_SLOTS)
    .default([]),
  inputsPerTask: count(0, MAX_SLOTS).optional(),
  mapping: z.string().optional(),
  outputs: z.array(z.string()).max(MAX_SLOTS).default([]),
  interleave: count(0, 3).default(0),
  iteration: z
    .strictObject({
      num: count(1, MAX_STAGES),
      stages: z.array(z.string().regex(/^\w+$/)).min(1),
      substitute: z.string(),
    })
    .optional(),
});

export const ZStructuredSkeleton = z.strictObject({
  stages: z.array(ZStructuredStage).min(1, "a skeleton needs at least one stage").max(MAX_STAGES),
});
export type TStructuredSkeleton = z.infer<typeof ZStructuredSkeleton>;

function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): Pos {
  let node = doc.contents as Node | null | undefined;
  let found = node;
  for (const key of path) {
    if (isMap(node)) node = node.get(key as string, true) as Node | undefined;
    else if (isSeq(node)) node = node.get(Number(key), true) as Node | undefined;
    else node = undefined;
    if (!node) break;
    found = node;
  }
  const p = lc.linePos(found?.range?.[0] ?? 0);
  return { line: p.line, column: p.col };
}

function toStage(
  s: z.infer<typeof ZStructuredStage>,
  at: (...p: (string | number)[]) => Pos,
  issues: Issues,
): StageDef {
  const dist = (v: string, ctx: DistContext, ...where: (string | number)[]): Dist => {
    const d = parseDistIn(v, ctx, distLimit(ctx, s.mode ?? null));
    if (d.ok && d.note) issues.warn(at(...where), d.note, "NEGATIVE_DRAW_CLAMPED");
    if (d.ok) return d.dist;
    issues.error(at(...where), d.message, d.expected);
    return { kind: "uniform", text: "0", value: 0 };
  };
  const inputs: InputSlot[] = s.inputs.map((i, k) => {
    const src = i.source === undefined ? null : parseSource(i.source);
    if (src && !src.ok) issues.error(at("inputs", k, "source"), src.message, src.expected);
    const size = i.size === undefined ? null : dist(i.size, "inputSize", "inputs", k, "size");
    return {
      source: src?.ok ? src.value : { kind: "blank" },
      sourceText: i.source ?? "",
      size,
      at: at("inputs", k),
    };
  });
  const nIn = s.inputsPerTask ?? inputs.length;
  if (nIn < inputs.length)
    issues.error(at("inputsPerTask"), `inputsPerTask is ${nIn} but ${inputs.length} inputs are described`);
  while (inputs.length < nIn)
    inputs.push({ source: { kind: "blank" }, sourceText: "", size: null, at: at("inputsPerTask") });
  const mapping = s.mapping === undefined ? null : parseMapping(s.mapping, at("mapping"));
  if (mapping && !mapping.ok) issues.error(at("mapping"), mapping.message, mapping.expected);
  let iteration: Iteration | null = null;
  if (s.iteration) {
    const sub = parseIterationSubstitute(s.iteration.substitute);
    if (!sub.ok) issues.error(at("iteration", "substitute"), sub.message, sub.expected);
    else if (sub.value.inputSlot > nIn)
      issues.error(
        at("iteration", "substitute"),
        `the substitute re-points input ${sub.value.inputSlot}, but the stage has ${nIn} input slot(s)`,
      );
    else
      iteration = {
        num: s.iteration.num,
        numText: String(s.iteration.num),
        stages: s.iteration.stages,
        stagesText: s.iteration.stages.join(", "),
        subText: sub.value.subText,
        inputSlot: sub.value.inputSlot,
        target: sub.value.target,
        at: at("iteration"),
      };
  }
  const def: StageDef = {
    name: s.name,
    taskType: s.type,
    taskMode: s.mode ?? null,
    numTasks: s.tasks,
    length: dist(s.length, "length", "length"),
    processes: String(s.processes),
    readBuf: String(s.readBuffer),
    writeBuf: String(s.writeBuffer),
    inputsText: String(nIn),
    inputs,
    mapping: mapping?.ok ? mapping.value : null,
    outputsText: String(s.outputs.length),
    outputs: s.outputs.map((o, j) => dist(o, "outputSize", "outputs", j)),
    interleave: String(s.interleave),
    iteration,
    at: { stage: at("name"), length: at("length"), outputs: s.outputs.map((_, j) => at("outputs", j)) },
  };
  checkSlots(def, issues);
  return def;
}

export function parseStructured(text: string): ParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const issues = new Issues();
  for (const e of doc.errors)
    issues.error(
      { line: e.linePos?.[0]?.line ?? 1, column: e.linePos?.[0]?.col ?? 1 },
      `not valid YAML/JSON: ${e.message.split("\n")[0] ?? e.code}`,
    );
  if (issues.errors.length) return { ok: false, errors: issues.sorted(), warnings: [] };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e: unknown) {
    issues.error(
      { line: 1, column: 1 },
      `not valid YAML/JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
    return { ok: false, errors: issues.sorted(), warnings: [] };
  }
  const parsed = ZStructuredSkeleton.safeParse(data);
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      issues.error(locate(doc, lc, i.path), `${i.path.join(".") || "skeleton"}: ${i.message}`);
    return { ok: false, errors: issues.sorted(), warnings: [] };
  }
  const stages = parsed.data.stages.map((s, si) =>
    toStage(s, (...p) => locate(doc, lc, ["stages", si, ...p]), issues),
  );
  return finishParse({ numStage: stages.length, stages }, issues);
}
