/**
 * Input mappings that replace a stage's whole input list: `combination` (itertools.combinations
 * in lexicographic order, task t taking combination t mod C(n, m)) and `external` (the output of
 * a script, one line per task, given here as data because a pure module cannot run scripts).
 */
import { binomial } from "./check";
import { MAX_FILE_REFS, MAX_SLOTS } from "./limits";

/**
 * The combinations task 0, 1, … n-1 get, in order: the index-th is found once, then the next
 * ones follow by stepping, so a stage costs O(tasks × m) rather than O(tasks × files).
 * When there are fewer combinations than tasks, the same arrays are handed out again.
 */
export function combinationsForTasks<T>(files: readonly T[], m: number, tasks: number): T[][] {
  const total = binomial(files.length, m);
  const distinct = Math.min(tasks, total);
  if (distinct === 0) return Array.from({ length: tasks }, () => []);
  const idx = Array.from({ length: m }, (_, i) => i);
  const out: T[][] = [];
  for (let c = 0; c < distinct; c++) {
    out.push(idx.map((i) => files[i]!));
    // next combination: bump the rightmost index that still has room
    let r = m - 1;
    while (r >= 0 && idx[r] === files.length - m + r) r -= 1;
    if (r < 0) break;
    idx[r]! += 1;
    for (let j = r + 1; j < m; j++) idx[j] = idx[j - 1]! + 1;
  }
  for (let t = distinct; t < tasks; t++) out.push(out[t % distinct]!);
  return out;
}

export type ExternalLines = { ok: true; lines: string[][] } | { ok: false; message: string };

/**
 * The script's output as the original read it: `getstatusoutput` drops one trailing newline,
 * then every line is one task's inputs, split on whitespace. Extra lines were ignored; too
 * few crashed (IndexError) and are refused here.
 */
export function externalLines(output: string, tasks: number): ExternalLines {
  const text = output.endsWith("\n") ? output.slice(0, -1) : output;
  const raw = text.split("\n");
  if (raw.length < tasks)
    return {
      ok: false,
      message: `the mapping has ${raw.length} line(s) but the stage has ${tasks} task(s): one line per task`,
    };
  // the file, not the skeleton, decides how many inputs a task reads: bound them like the skeleton's own
  const lines: string[][] = [];
  let total = 0;
  for (let t = 0; t < tasks; t++) {
    const words = raw[t]!.split(/[ \t\r\v\f]+/).filter((w) => w !== "");
    if (words.length > MAX_SLOTS)
      return {
        ok: false,
        message: `line ${t + 1} of the mapping names ${words.length} files; a task may read at most ${MAX_SLOTS.toLocaleString("en")}`,
      };
    total += words.length;
    if (total > MAX_FILE_REFS)
      return {
        ok: false,
        message: `the mapping names more than ${MAX_FILE_REFS.toLocaleString("en")} input files in all`,
      };
    lines.push(words);
  }
  return { ok: true, lines };
}
