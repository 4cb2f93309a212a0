import type { Mapping, Pos, SlotRef, Source } from "./types";

/**
 * Parsers for the non-distribution values, shared by the AIMES text parser and the JSON/YAML
 * form. Each returns the value or a message; the caller knows the line and column.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; expected: string };

const bad = <T>(message: string, expected: string): Parsed<T> => ({ ok: false, message, expected });

const REF = /^(\w+)\.(Input|Output)_(\d+)$/;

export function parseSlotRef(text: string, what: string): Parsed<SlotRef> {
  const m = REF.exec(text);
  const expected = "Stage_1.Output_1";
  if (!m) {
    const loose = /^(\w+)\.(input|output)_(\d+)$/i.exec(text);
    if (loose)
      return bad(
        `${what} \`${text}\`: write \`Input\`/\`Output\` with a capital letter, as in \`${loose[1]}.Output_${loose[3]}\``,
        expected,
      );
    if (/^\w+\.(Input|Output)$/.test(text))
      return bad(
        `${what} \`${text}\` needs a slot number, as in \`${text}_1\` (a bare \`.Output\` is the 2013 format)`,
        expected,
      );
    return bad(
      `${what} \`${text}\` is not a file slot of a stage: write the stage, a dot and the slot, such as \`Stage_1.Output_1\` (the first output file of Stage_1's tasks) or \`Stage_1.Input_2\``,
      expected,
    );
  }
  const slot = Number(m[3]);
  if (slot < 1)
    return bad(`${what} \`${text}\`: slots are numbered from 1, as in \`${m[1]}.${m[2]}_1\``, expected);
  return { ok: true, value: { stage: m[1]!, io: m[2] as SlotRef["io"], slot } };
}

export function refText(r: SlotRef): string {
  return `${r.stage}.${r.io}_${r.slot}`;
}

export function parseSource(text: string): Parsed<Source> {
  if (text === "filesystem") return { ok: true, value: { kind: "filesystem" } };
  const r = parseSlotRef(text, "input source");
  if (!r.ok)
    return bad(
      text.toLowerCase() === "filesystem"
        ? "write `filesystem` in lower case"
        : `${r.message}; or \`filesystem\` for a file made before the run`,
      "`filesystem` or `Stage_1.Output_1`",
    );
  return { ok: true, value: { kind: "ref", ref: r.value } };
}

/** `combination <stage slot> <count>` or `external <script>` (the original's `(\w+) (.+)`). */
export function parseMapping(value: string, at: Pos): Parsed<Mapping> {
  const expected = "`combination Stage_1.Output_1 2` or `external mapper.sh`";
  const how =
    "such as `combination Stage_1.Output_1 2` (each task reads 2 of Stage_1's first output files, every pair once) or `external mapper.sh` (a script of yours lists each task's files)";
  const m = /^(\w+) (.+)$/.exec(value);
  if (!m) return bad(`\`${value}\` is not an input mapping: write one ${how}`, expected);
  const [, fn, text] = m as unknown as [string, string, string];
  if (fn === "external") return { ok: true, value: { kind: "external", script: text, text, at } };
  if (fn !== "combination") {
    const hint =
      fn.toLowerCase() === "combination" || fn.toLowerCase() === "external"
        ? ` (write it in lower case: the original compared \`${fn.toLowerCase()}\` exactly and silently ignored anything else)`
        : " (the original silently ignored unknown mappings)";
    return bad(`unknown input mapping \`${fn}\`${hint}; there are two, ${how}`, expected);
  }
  const parts = text.split(/[ \t\n\r\v\f]+/).filter((p) => p !== "");
  if (parts.length !== 2 || !/^\d+$/.test(parts[1]!))
    return bad(
      `combination needs a source and a count, as in \`combination Stage_1.Output_1 2\` (got \`${text}\`)`,
      "combination Stage_1.Output_1 2",
    );
  const from = parseSlotRef(parts[0]!, "combination source");
  if (!from.ok) return from;
  return { ok: true, value: { kind: "combination", from: from.value, m: Number(parts[1]), text, at } };
}

/** Iteration_Stages: names separated by exactly ", " (the original split on that string). */
export function parseIterationStages(value: string): Parsed<string[]> {
  const names = value.split(", ");
  const badName = names.find((n) => !/^\w+$/.test(n));
  if (badName !== undefined)
    return bad(
      `\`${badName}\` is not a stage name: separate the names with a comma and one space, as in \`Stage_3, Stage_4\``,
      "Stage_3, Stage_4",
    );
  return { ok: true, value: names };
}

/**
 * Iteration_Substitute = `S.Input_i, T.Output_j`. The original split at the last comma and took
 * only the slot number from the first half; the second half names the stage whose previous
 * iteration feeds input i of the first iterated stage.
 */
export function parseIterationSubstitute(
  value: string,
): Parsed<{ subText: [string, string]; inputStage: string; inputSlot: number; target: SlotRef }> {
  const expected = "Stage_3.Input_1, Stage_4.Output_1";
  const m = /^(.+)[ \t\n\r\v\f]*,[ \t\n\r\v\f]*(.+)$/.exec(value);
  if (!m)
    return bad(
      `\`${value}\` is not an iteration substitute: write an input slot of the first iterated stage, a comma, and the slot that feeds it from the previous iteration, such as \`Stage_3.Input_1, Stage_4.Output_1\``,
      expected,
    );
  const [, src, tgt] = m as unknown as [string, string, string];
  const s = /^(\w+)\.Input_(\d+)[ \t]*$/.exec(src);
  if (!s || Number(s[2]) < 1)
    return bad(
      `the first half of Iteration_Substitute must be an input slot such as \`Stage_3.Input_1\` (got \`${src.trim()}\`)`,
      expected,
    );
  const t = parseSlotRef(tgt, "iteration substitute");
  if (!t.ok) return t;
  return {
    ok: true,
    value: { subText: [src, tgt], inputStage: s[1]!, inputSlot: Number(s[2]), target: t.value },
  };
}
