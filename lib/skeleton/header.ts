import { placeholderHint, type Line } from "./lex";
import { isKnownKey, unknownKeyMessage } from "./reader";
import type { Issues } from "./types";

/** The parts of the file around the stage blocks, shared by the 2014 and the 2013 formats. */

/** `Num_Stage = N` must be the first line; nothing else may come before the first Stage_Name. */
export function readNumStage(header: Line[], issues: Issues): number | null {
  const [first, ...rest] = header;
  for (const l of rest) {
    const what = l.key === null || !isKnownKey(l.key) ? unknownKeyMessage(l) : `\`${l.key}\` is out of place`;
    issues.error(
      { line: l.no, column: l.col },
      l.key === "Num_Stage"
        ? "`Num_Stage` appears twice"
        : `${what}: before the first \`Stage_Name\` only the number of stages (\`Num_Stage = 2\`) may stand`,
    );
  }
  if (!first || first.key !== "Num_Stage") {
    const at = first ? { line: first.no, column: first.col } : { line: 1, column: 1 };
    issues.error(
      at,
      first
        ? `the file must start with the number of stages, such as \`Num_Stage = 2\` (found \`${first.key ?? first.text}\`)`
        : "the file is empty: it must start with the number of stages, such as `Num_Stage = 2`",
      "Num_Stage = 2",
    );
    return null;
  }
  const m = /^\d+/.exec(first.value);
  const at = { line: first.no, column: first.valueCol };
  if (!m) {
    issues.error(
      at,
      `Num_Stage must be a whole number (got \`${first.value}\`)${placeholderHint(first.value)}`,
      "a whole number",
    );
    return null;
  }
  if (m[0] !== first.value)
    issues.warn(
      at,
      `Num_Stage is read as ${m[0]}: the original ignored \`${first.value.slice(m[0].length).trim()}\``,
    );
  if (Number(m[0]) < 1) {
    issues.error(at, "Num_Stage must be at least 1", "a number ≥ 1");
    return null;
  }
  return Number(m[0]);
}

/** Stage blocks: each runs from a Stage_Name line to the next. */
export function splitBlocks(lines: Line[]): Line[][] {
  const blocks: Line[][] = [];
  for (const l of lines) {
    if (l.key === "Stage_Name" || blocks.length === 0) blocks.push([l]);
    else blocks[blocks.length - 1]!.push(l);
  }
  return blocks;
}

/**
 * Num_Stage and the first Num_Stage stage blocks. Fewer blocks crashed the original (an error
 * here); more were silently ignored (a warning here).
 */
export function readStructure(lines: Line[], issues: Issues): { numStage: number | null; blocks: Line[][] } {
  const firstStage = lines.findIndex((l) => l.key === "Stage_Name");
  const header = firstStage < 0 ? lines : lines.slice(0, firstStage);
  const numStage = readNumStage(header, issues);
  const blocks = splitBlocks(firstStage < 0 ? [] : lines.slice(firstStage));
  if (numStage !== null && blocks.length < numStage) {
    const at = header[0] ? { line: header[0].no, column: header[0].valueCol } : { line: 1, column: 1 };
    issues.error(
      at,
      `Num_Stage is ${numStage} but the file has ${blocks.length} stage block(s) (each starts with \`Stage_Name = …\`)`,
      `${numStage} stage blocks`,
    );
  }
  const used = numStage === null ? blocks : blocks.slice(0, numStage);
  const ignored = blocks[used.length]?.[0];
  if (ignored)
    issues.warn(
      { line: ignored.no, column: ignored.col },
      `Num_Stage is ${numStage}: this stage block and everything after it are ignored, as the original ignored them`,
    );
  return { numStage, blocks: used };
}
