import { LineCounter, parseDocument, isMap, isSeq, type Node } from "yaml";
import { z } from "zod";
import { parseDist } from "./dist";
import type { ParseResult } from "./parse";
import type { Dist, InputSlot, Mapping, Skeleton, SkeletonError, Source, StageDef } from "./types";

/**
 * The second way to write a skeleton: JSON or YAML with named fields (lib/skeleton/FORMAT.md).
 * Values use the same distribution and source strings as the AIMES text; the result is the
 * same Skeleton model. Errors carry the line and column of the offending field.
 */
const ZCount = z.number().int().min(0);
const ZStage = z.object({
  name: z.string().regex(/^\w+$/, "a stage name may hold only letters, digits and _"),
  type: z.string().default("serial"),
  mode: z.enum(["time", "flops"]).optional(),
  tasks: ZCount.min(1),
  length: z.string(),
  processes: ZCount.min(1).default(1),
  readBuffer: ZCount.min(1).default(65536),
  writeBuffer: ZCount.min(1).default(65536),
  inputs: z.array(z.object({ source: z.string().optional(), size: z.string().optional() })).default([]),
  inputsPerTask: ZCount.optional(),
  mapping: z.string().optional(),
  outputs: z.array(z.string()).default([]),
  interleave: z.number().int().min(0).max(3).default(0),
  iteration: z.object({ num: ZCount.min(1), stages: z.array(z.string()).min(1), substitute: z.string() }).optional(),
});
export const ZStructuredSkeleton = z.object({ stages: z.array(ZStage).min(1, "a skeleton needs at least one stage") });

function position(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: readonly PropertyKey[]): { line: number; column: number } {
  let node: Node | null | undefined = doc.contents as Node | null;
  for (const key of path) {
    if (isMap(node)) node = node.get(key as string, true) as Node | undefined;
    else if (isSeq(node)) node = node.get(Number(key), true) as Node | undefined;
    else break;
  }
  const offset = node?.range?.[0] ?? 0;
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

export function parseStructured(text: string): ParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    return { ok: false, errors: doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? 1, column: e.linePos?.[0]?.col ?? 1, message: e.message.split("\n")[0] ?? "not valid YAML/JSON" })) };
  }
  const parsed = ZStructuredSkeleton.safeParse(doc.toJS());
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ ...position(doc, lc, i.path), message: `${i.path.join(".") || "skeleton"}: ${i.message}` })) };
  }
  const errors: SkeletonError[] = [];
  const stages = parsed.data.stages.map((s, si): StageDef => {
    const at = (...p: (string | number)[]) => position(doc, lc, ["stages", si, ...p]);
    const dist = (v: string, where: (string | number)[], length: boolean, poly: boolean): Dist => {
      const d = parseDist(v, length, poly);
      if (d.ok) return d.dist;
      errors.push({ ...at(...where), message: d.message, expected: d.expected });
      return { kind: "uniform", text: "0" };
    };
    const inputs: InputSlot[] = s.inputs.map((i, ii) => ({ source: i.source ? source(i.source, at("inputs", ii, "source"), errors) : null, size: i.size ? dist(i.size, ["inputs", ii, "size"], false, false) : null }));
    const nIn = s.inputsPerTask ?? inputs.length;
    while (inputs.length < nIn) inputs.push({ source: null, size: null });
    return {
      name: s.name, taskType: s.type, taskMode: s.mode ?? null, numTasks: s.tasks, length: dist(s.length, ["length"], false, true),
      processes: String(s.processes), readBuf: String(s.readBuffer), writeBuf: String(s.writeBuffer), inputsPerTask: nIn, inputs,
      mapping: s.mapping ? mapping(s.mapping, at("mapping"), errors) : null, outputsPerTask: s.outputs.length,
      outputs: s.outputs.map((o, oi) => dist(o, ["outputs", oi], true, true)), interleave: String(s.interleave),
      iteration: s.iteration ? iteration(s.iteration, at("iteration"), errors) : null, line: at().line,
    };
  });
  const skeleton: Skeleton = { numStage: stages.length, stages };
  return errors.length ? { ok: false, errors } : { ok: true, skeleton };
}

function source(v: string, pos: { line: number; column: number }, errors: SkeletonError[]): Source | null {
  if (v === "filesystem") return { kind: "filesystem" };
  const m = /^(\w+)\.(Output|Input)_(\d+)$/.exec(v);
  if (m) return { kind: "ref", stage: m[1]!, io: m[2] as "Output" | "Input", slot: Number(m[3]), text: v };
  errors.push({ ...pos, message: `\`${v}\` is not a source`, expected: "filesystem or Stage_X.Output_j" });
  return null;
}

function mapping(v: string, pos: { line: number; column: number }, errors: SkeletonError[]): Mapping | null {
  const m = /^combination (\w+)\.Output_(\d+) (\d+)$/.exec(v);
  if (m) return { kind: "combination", stage: m[1]!, slot: Number(m[2]), m: Number(m[3]), text: v };
  errors.push({ ...pos, message: `\`${v}\` is not an input mapping`, expected: "combination Stage_X.Output_j m" });
  return null;
}

function iteration(it: { num: number; stages: string[]; substitute: string }, pos: { line: number; column: number }, errors: SkeletonError[]): StageDef["iteration"] {
  const m = /^(\w+)\.Input_(\d+), (\w+)\.Output_(\d+)$/.exec(it.substitute);
  if (!m) {
    errors.push({ ...pos, message: `\`${it.substitute}\` is not an iteration substitute`, expected: "Stage_A.Input_i, Stage_B.Output_j" });
    return null;
  }
  return { num: it.num, stages: it.stages, substitute: { input: { stage: m[1]!, slot: Number(m[2]) }, output: { stage: m[3]!, slot: Number(m[4]) } }, text: { stages: it.stages.join(", "), substitute: it.substitute } };
}
