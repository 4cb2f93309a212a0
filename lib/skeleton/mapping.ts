/**
 * Input mappings that replace a stage's whole input list: `combination` (itertools.combinations
 * in lexicographic order, task t taking combination t mod C(n, m)) and `external` (the output of
 * a script, one line per task, given here as data because a pure module cannot run scripts).
 */
import { binomial } from "./check";

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
  const lines = text.split("\n").map((l) => l.split(/[ \t\r\v\f]+/).filter((w) => w !== ""));
  if (lines.length < tasks) return { ok: false, message: `the mapping has ${lines.length} line(s) but the stage has ${tasks} task(s): one line per task` };
  return { ok: true, lines: lines.slice(0, tasks) };
}
