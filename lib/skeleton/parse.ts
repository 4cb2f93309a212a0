import { finishParse } from "./check";
import { readStructure } from "./header";
import { isLegacyFormat, parseLegacy } from "./legacy";
import { lexLines } from "./lex";
import { parseStageBlock } from "./stage-block";
import { Issues, type ParseResult, type Skeleton } from "./types";

/**
 * The AIMES skeleton text format of the 2014/2017 Skeleton library: `Num_Stage = N` first, then
 * N stage blocks whose keys come in a fixed order (lib/skeleton/reader.ts). Files in the
 * legacy 2013 format are recognised and converted when they map cleanly (lib/skeleton/legacy.ts).
 * Where the original crashed, every problem found is reported with its line and column; the
 * checks across stages (lib/skeleton/check.ts) run once the stages themselves read cleanly.
 */
export function parseAimes(text: string): ParseResult & { legacy: boolean } {
  const issues = new Issues();
  const lines = lexLines(text, issues);
  if (isLegacyFormat(lines)) return { ...parseLegacy(lines, issues), legacy: true };
  const { numStage, blocks } = readStructure(lines, issues);
  const skeleton: Skeleton = {
    numStage: numStage ?? blocks.length,
    stages: blocks.map((b) => parseStageBlock(b, issues)),
  };
  return { ...finishParse(skeleton, issues), legacy: false };
}
