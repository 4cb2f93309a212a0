import type { Line } from "./lex";
import { placeholderHint } from "./lex";
import type { Issues, Pos } from "./types";

/**
 * Reads one stage block in the fixed key order the original demanded. Where the original
 * crashed at the first surprise, this reports it and carries on: a key found later in the
 * block is reported as out of order and taken from where it is; a missing key is reported and
 * skipped; unknown, duplicate and 2013-format keys are explained. Every line is either taken or
 * reported, so nothing is silently ignored.
 */
export const ORDER_TEXT =
  "Stage_Name, Task_Type, [Task_Mode], Num_Tasks, Task_Length, Num_Processes, Read_Buffer, Write_Buffer, Input_Files_Each_Task, [Input_i.Source, Input_i.Size for i = 1…], [Input_Task_Mapping], Output_Files_Each_Task, Output_j.Size for j = 1…, Interleave_Option, [Iteration_Num, Iteration_Stages, Iteration_Substitute]";

const FIXED = [
  "Num_Stage",
  "Stage_Name",
  "Task_Type",
  "Task_Mode",
  "Num_Tasks",
  "Task_Length",
  "Num_Processes",
  "Read_Buffer",
  "Write_Buffer",
  "Input_Files_Each_Task",
  "Input_Task_Mapping",
  "Output_Files_Each_Task",
  "Interleave_Option",
  "Iteration_Num",
  "Iteration_Stages",
  "Iteration_Substitute",
];

export const LEGACY_KEYS: Record<string, string> = {
  Input_Source:
    "in the 2014 format each input slot has its own `Input_i.Source = filesystem | Stage_X.Output_j`",
  Tasks_Each_Input_File:
    "the 2014 format has no file/task ratios: use `Input_Task_Mapping = combination Stage_X.Output_j m` or one `Input_i.Source` per slot",
  Input_File_Size: "in the 2014 format each filesystem input slot has its own `Input_i.Size`",
  Output_File_Size:
    "in the 2014 format each output has its own `Output_j.Size` line (j = 1 … Output_Files_Each_Task)",
};

/** Position of a key in the fixed order (input and output slots in slot order), or -1. */
export function keyRank(key: string): number {
  const fixed = FIXED.indexOf(key);
  if (fixed >= 0) return fixed * 1e7;
  const input = /^Input_(\d+)\.(Source|Size)$/.exec(key);
  if (input) return 9.5e7 + 2 * Math.min(Number(input[1]), 1e6) + (input[2] === "Size" ? 1 : 0);
  const output = /^Output_(\d+)\.Size$/.exec(key);
  if (output) return 11.5e7 + Math.min(Number(output[1]), 1e6);
  return -1;
}

export function isKnownKey(key: string): boolean {
  return keyRank(key) >= 0;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** What to say about a line whose key the format does not have. */
export function unknownKeyMessage(l: Line): string {
  if (l.key === null) return `\`${l.text}\` is not a \`Key = value\` line${placeholderHint(l.text)}`;
  const legacy = LEGACY_KEYS[l.key];
  if (legacy)
    return `\`${l.key}\` belongs to the 2013 skeleton format, which the 2014 parser did not read; ${legacy}`;
  const generic = l.key.replace(/^Input_\d+\./, "Input_1.").replace(/^Output_\d+\./, "Output_1.");
  const near = [...FIXED, "Input_1.Source", "Input_1.Size", "Output_1.Size"]
    .map((k) => ({ k, d: k.toLowerCase() === generic.toLowerCase() ? 0 : distance(generic, k) }))
    .sort((a, b) => a.d - b.d)[0]!;
  const num = /_(\d+)\./.exec(l.key)?.[1];
  const suggestion = num ? near.k.replace("_1.", `_${num}.`) : near.k;
  const hint =
    near.d === 0
      ? ` (keys are case-sensitive: \`${suggestion}\`)`
      : near.d <= 2
        ? ` (did you mean \`${suggestion}\`?)`
        : "";
  return `unknown key \`${l.key}\`${hint}`;
}

export class BlockReader {
  private readonly used: boolean[];
  private pos = 0;
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly lines: Line[],
    private readonly issues: Issues,
  ) {
    this.used = lines.map(() => false);
  }

  at(l: Line, onValue = false): Pos {
    return { line: l.no, column: onValue ? l.valueCol : l.col };
  }

  /** where the block ends, for "missing key" reports */
  end(): Pos {
    const last = this.lines[this.lines.length - 1];
    return last ? { line: last.no, column: last.col } : { line: 1, column: 1 };
  }

  current(): Line | undefined {
    while (this.pos < this.lines.length && this.used[this.pos]) this.pos += 1;
    return this.lines[this.pos];
  }

  private consume(i: number): Line {
    this.used[i] = true;
    const l = this.lines[i]!;
    if (l.key !== null) this.seen.set(l.key, l.no);
    return l;
  }

  /** Reports the current line as out of place (unknown, duplicate or stray) and skips it. */
  skipCurrent(message?: string): void {
    const cur = this.current();
    if (!cur) return;
    this.issues.error(this.at(cur), message ?? this.strayMessage(cur));
    this.used[this.pos] = true;
  }

  private strayMessage(cur: Line): string {
    if (cur.key === "Num_Stage")
      return "`Num_Stage` must be the first line of the file, before the first `Stage_Name`";
    const first = cur.key === null ? undefined : this.seen.get(cur.key);
    if (first !== undefined) return `\`${cur.key}\` appears twice in this stage (first at line ${first})`;
    if (cur.key !== null && isKnownKey(cur.key))
      return `\`${cur.key}\` is out of order: the keys of a stage must come in this order: ${ORDER_TEXT}`;
    return unknownKeyMessage(cur);
  }

  /** Takes the line for `key` in its place; see the class comment for what happens otherwise. */
  take(key: string, optional = false): Line | null {
    for (;;) {
      const cur = this.current();
      if (cur && cur.key === key) return this.consume(this.pos);
      if (cur && this.isStray(cur, key)) {
        this.skipCurrent();
        continue;
      }
      const later = this.lines.findIndex((l, i) => i > this.pos && !this.used[i] && l.key === key);
      if (cur && later >= 0) {
        const l = this.lines[later]!;
        this.issues.error(
          this.at(cur),
          `expected \`${key}\` here but found \`${cur.key}\` (\`${key}\` is at line ${l.no}): the keys of a stage must come in this order: ${ORDER_TEXT}`,
          key,
        );
        return this.consume(later);
      }
      if (optional) return null;
      if (cur)
        this.issues.error(
          this.at(cur),
          `expected \`${key}\` here but found \`${cur.key}\`: \`${key}\` is missing`,
          key,
        );
      else this.issues.error(this.end(), `the stage ends without \`${key}\``, key);
      return null;
    }
  }

  /** unknown, a duplicate, or a key whose place in the order is already behind us */
  private isStray(cur: Line, key: string): boolean {
    if (cur.key === null || !isKnownKey(cur.key) || this.seen.has(cur.key) || cur.key === "Num_Stage")
      return true;
    return keyRank(cur.key) < keyRank(key);
  }

  /** Whether any line of the block, taken or not, has this key. */
  has(key: string): boolean {
    return this.lines.some((l) => l.key === key);
  }

  /** Reports every line that was neither taken nor reported. */
  finish(): void {
    while (this.current()) this.skipCurrent();
  }
}
