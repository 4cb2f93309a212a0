import { refText } from "./values";
import type { Issues, Skeleton, Source, StageDef } from "./types";

/**
 * Iteration unrolling (`resolve_iteration`). A stage with `Iteration_Num = r` and
 * `Iteration_Stages = A[, B…]` is replaced by r copies of its group, in the order
 * A_Iter_1, B_Iter_1, A_Iter_2, …, A, B: the last iteration keeps the original names, so later
 * stages that read `A.Output_1` get the last iteration. From the second iteration on, input
 * `Iteration_Substitute[0]` of the first stage reads `<T>_Iter_<i-1>` (T from the substitute's
 * second half); the other group stages read the copies of their own iteration.
 * As in the original, the group's other stages are the next blocks in the file, taken by
 * position. Two crashes of the original are fixed: a group stage with a filesystem or blank
 * input (its `split('.')` failed) simply keeps that input, and a middle stage of a group of
 * three or more reads the last iteration's copies instead of a non-existent `_Iter_r`.
 */
export interface Planned {
  def: StageDef;
  /** the name after unrolling, e.g. Stage_3_Iter_1 */
  name: string;
  sources: Source[];
  /** the sources as the JSON form prints them (re-pointed ones rewritten) */
  sourceTexts: string[];
  /** true for every stage of an iteration group: the original deep-copied them (JSON key order) */
  copied: boolean;
}

/** `Stage_3.Output_1` with another stage name, the slot part kept as written (as the original did) */
const restage = (text: string, stage: string) => `${stage}.${text.slice(text.indexOf(".") + 1)}`;

const plain = (def: StageDef): Planned => ({
  def,
  name: def.name,
  sources: def.inputs.map((s) => s.source),
  sourceTexts: def.inputs.map((s) => s.sourceText),
  copied: false,
});

function group(first: StageDef, queue: StageDef[], issues: Issues): StageDef[] | null {
  const it = first.iteration!;
  const others = [...it.stages];
  const self = others.indexOf(first.name);
  if (self < 0) {
    issues.error(
      it.at,
      `Iteration_Stages of ${first.name} must list ${first.name} itself (got \`${it.stagesText}\`)`,
    );
    return null;
  }
  others.splice(self, 1);
  const members = queue.splice(0, others.length);
  if (members.length < others.length) {
    issues.error(
      it.at,
      `${first.name} iterates together with ${others.join(", ")}, but only ${members.length} stage block(s) follow it: the stages of a group must be the next blocks in the file`,
    );
    return null;
  }
  const expected = [...others].sort().join(", ");
  const found = members
    .map((m) => m.name)
    .sort()
    .join(", ");
  if (expected !== found) {
    issues.error(
      it.at,
      `Iteration_Stages of ${first.name} names ${others.join(", ")}, but the next block(s) are ${members.map((m) => m.name).join(", ")}: the original took the next blocks by position, not by name`,
    );
    return null;
  }
  const nested = members.find((m) => m.iteration);
  if (nested) {
    issues.error(
      nested.iteration!.at,
      `${nested.name} is part of ${first.name}'s iteration group and cannot iterate on its own`,
    );
    return null;
  }
  if (!it.stages.includes(it.target.stage)) {
    issues.error(
      it.at,
      `Iteration_Substitute reads ${refText(it.target)} from the previous iteration, but ${it.target.stage} is not in Iteration_Stages (${it.stagesText})`,
    );
    return null;
  }
  return [first, ...members];
}

export function unroll(sk: Skeleton, issues: Issues): Planned[] {
  const out: Planned[] = [];
  const queue = [...sk.stages];
  while (queue.length) {
    const first = queue.shift()!;
    if (!first.iteration) {
      out.push(plain(first));
      continue;
    }
    const members = group(first, queue, issues);
    if (!members) continue;
    const it = first.iteration;
    const names = new Set(members.map((m) => m.name));
    const nameAt = (stage: string, i: number) => (i === it.num ? stage : `${stage}_Iter_${i}`);
    for (let i = 1; i <= it.num; i++) {
      members.forEach((def, gi) => {
        const p = plain(def);
        p.name = nameAt(def.name, i);
        p.copied = true;
        p.sources = p.sources.map((s, si) => {
          if (gi === 0 && i >= 2 && si === it.inputSlot - 1) {
            const ref = { ...it.target, stage: `${it.target.stage}_Iter_${i - 1}` };
            p.sourceTexts[si] = restage(it.subText[1], ref.stage);
            return { kind: "ref", ref };
          }
          if (gi > 0 && s.kind === "ref" && names.has(s.ref.stage)) {
            const ref = { ...s.ref, stage: nameAt(s.ref.stage, i) };
            p.sourceTexts[si] = restage(p.sourceTexts[si]!, ref.stage);
            return { kind: "ref", ref };
          }
          return s;
        });
        out.push(p);
      });
    }
  }
  return out;
}
