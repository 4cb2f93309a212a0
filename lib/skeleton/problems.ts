import { checkSkeleton as crossStageChecks } from "./check";
import { readEmbeddedExternal } from "./embedded-external";
import { expandSkeleton } from "./expand";
import { parseSkeleton } from "./load";
import { Issues, type Skeleton } from "./types";

/** One problem of a skeleton being typed, at its place: what the editor marks and lists. */
export interface Problem {
  severity: "error" | "warning";
  line: number;
  column: number;
  message: string;
}

/**
 * Past this many tasks the editor checks the text only (parse and the cross-stage checks, which
 * compute the totals from the counts); the expansion, which draws every task, is left to the
 * server's check when the skeleton is saved.
 */
export const EXPAND_IN_BROWSER_MAX_TASKS = 20_000;

const taskCount = (stages: { numTasks: number; iteration: { num: number } | null }[]) =>
  stages.reduce((a, s) => a + s.numTasks * Math.max(1, s.iteration?.num ?? 1), 0);

/** A stage whose inputs come from an external mapping script, for which no output was given. */
export interface ExternalNeed {
  stage: string;
  script: string;
  line: number;
  column: number;
}

/**
 * The external mappings still waiting for their script's output (given by stage name or by the
 * script as written, as the expansion looks them up). EManager never runs such a script itself.
 */
export function externalNeeds(sk: Skeleton, external: Record<string, string> = {}): ExternalNeed[] {
  const out: ExternalNeed[] = [];
  for (const d of sk.stages) {
    const m = d.mapping;
    if (m?.kind === "external" && external[d.name] === undefined && external[m.script] === undefined)
      out.push({ stage: d.name, script: m.script, line: m.at.line, column: m.at.column });
  }
  return out;
}

/** What a person is told about an external mapping without its output: what to run and what to give back. */
export const externalNeedText = (n: ExternalNeed) =>
  `${n.stage} gets its input files from the script \`${n.script}\`, which EManager does not run: run it yourself and give its output (one line per task, that task's input file names separated by spaces)`;

/**
 * The checks that need no expansion: parse errors and warnings, then the cross-stage checks
 * (references, combinations, totals). Used when the expansion cannot run yet (an external
 * mapping without its output) or should not run here (too large for the browser).
 */
export function crossStageProblems(sk: Skeleton): Problem[] {
  const issues = new Issues();
  crossStageChecks(sk, issues);
  return [
    ...issues
      .sorted()
      .map((e) => ({ severity: "error" as const, line: e.line, column: e.column, message: e.message })),
    ...issues.warnings.map((w) => ({
      severity: "warning" as const,
      line: w.line,
      column: w.column,
      message: w.message,
    })),
  ];
}

/**
 * Every error and every warning of a skeleton text, in file order, as the skeleton editor's worker
 * computes them while the user types. A skeleton whose `external` mapping has no output yet is valid
 * (the command line's `validate` accepts it), but the web app cannot expand it: that is said as an
 * error at the mapping, with what is needed and where to give it.
 */
export function skeletonProblems(text: string, fileName = ""): Problem[] {
  return skeletonCheck(text, fileName).problems;
}

/** The problems, and the external mappings still waiting for their script's output (for the editor to ask for). */
export function skeletonCheck(text: string, fileName = ""): { problems: Problem[]; needs: ExternalNeed[] } {
  const out: Problem[] = [];
  let needs: ExternalNeed[] = [];
  const parsed = parseSkeleton(text, { fileName });
  for (const w of parsed.warnings)
    out.push({ severity: "warning", line: w.line, column: w.column, message: w.message });
  if (!parsed.ok) {
    for (const e of parsed.errors)
      out.push({ severity: "error", line: e.line, column: e.column, message: e.message });
  } else {
    const sk = parsed.skeleton;
    const embedded = readEmbeddedExternal(text);
    needs = externalNeeds(sk, embedded);
    // valid, but it cannot be expanded (saved, planned, run) until the output is there: an error saying how to give it
    for (const n of needs)
      out.push({
        severity: "error",
        line: n.line,
        column: n.column,
        message: `${externalNeedText(n)}: upload it with the editor (it is kept in the skeleton as comment lines), or give it to the command line with --external ${n.stage}=OUTPUT.txt`,
      });
    if (needs.length || taskCount(sk.stages) > EXPAND_IN_BROWSER_MAX_TASKS) {
      // an external mapping's files are not known yet, and a large expansion is the server's job
      out.push(...crossStageProblems(sk));
    } else {
      const x = expandSkeleton(sk, {
        seed: 0,
        compat: "2014",
        fileName: fileName || "skeleton",
        ...(Object.keys(embedded).length ? { external: embedded } : {}),
      });
      const seen = new Set(out.map((p) => `${p.line}:${p.column}:${p.message}`));
      const more = x.ok ? x.expanded.warnings : x.warnings;
      for (const w of more)
        if (!seen.has(`${w.line}:${w.column}:${w.message}`))
          out.push({ severity: "warning", line: w.line, column: w.column, message: w.message });
      if (!x.ok)
        for (const e of x.errors)
          out.push({ severity: "error", line: e.line, column: e.column, message: e.message });
    }
  }
  return {
    problems: out.sort(
      (a, b) =>
        a.line - b.line ||
        a.column - b.column ||
        (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1),
    ),
    needs,
  };
}
