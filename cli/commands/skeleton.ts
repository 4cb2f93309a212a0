import { parseArgs } from "node:util";
import {
  expandSkeletonText,
  jsonChunks,
  loadSkeletonText,
  setupChunks,
  shellChunks,
  workloadMetrics,
  type Dialect,
  type ExpandTextResult,
  type LoadWarning,
  type SkeletonError,
} from "../../lib/skeleton";
import { crossStageProblems, externalNeeds, externalNeedText } from "../../lib/skeleton/problems";
import { parseSkeleton } from "../../lib/skeleton/load";
import { readEmbeddedExternal } from "../../lib/skeleton/embedded-external";
import { safe, type CliIO } from "../io";

export const USAGE = `usage: emanager skeleton validate FILE
       emanager skeleton expand FILE [--seed N] --format json|shell|setup [--dialect 2014|2017]
                                [--external STAGE=OUTPUT.txt ...]
  --external gives the output of a stage's external mapping script (one line per task, file
  names separated by spaces); EManager never runs the script itself.
`;

const FORMATS = ["json", "shell", "setup"] as const;

/** Errors then warnings, as FILE:LINE:COL: message (the messages are already escaped; the path is escaped here). */
function report(io: CliIO, file: string, errors: SkeletonError[], warnings: LoadWarning[]): void {
  const f = safe(file);
  // the message says what a valid value looks like, with an example; \`expected\` is for programs (the JSON of the API)
  for (const e of errors) io.err(`${f}:${e.line}:${e.column}: ${e.message}\n`);
  for (const w of warnings)
    io.err(`${f}:${w.line ? `${w.line}:${w.column ?? 1}:` : ""} warning: ${safe(w.message)}\n`);
}

/** `emanager skeleton …`: validate or expand a skeleton file; errors as FILE:LINE:COL: message. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        seed: { type: "string" },
        format: { type: "string" },
        dialect: { type: "string", default: "2014" },
        external: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e: unknown) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [verb, file] = positionals;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if ((verb !== "validate" && verb !== "expand") || !file) {
    io.err(USAGE);
    return 2;
  }
  const dialect = values.dialect as Dialect;
  if (dialect !== "2014" && dialect !== "2017") {
    io.err(`--dialect must be 2014 or 2017 (got ${String(values.dialect)})\n`);
    return 2;
  }
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) {
    io.err(`--seed must be a whole number (got ${values.seed})\n`);
    return 2;
  }
  let text: string;
  try {
    text = await io.readText(file);
  } catch (e: unknown) {
    io.err(`${safe(file)}: cannot read the file (${safe(e instanceof Error ? e.message : String(e))})\n`);
    return 2;
  }
  const external: Record<string, string> = {};
  for (const spec of values.external ?? []) {
    const eq = spec.indexOf("=");
    if (eq <= 0) {
      io.err(`--external must be STAGE=FILE (got ${safe(spec)})\n`);
      return 2;
    }
    const source = spec.slice(eq + 1);
    try {
      external[spec.slice(0, eq)] = await io.readText(source);
    } catch (e: unknown) {
      io.err(
        `${safe(source)}: cannot read the external mapping (${safe(e instanceof Error ? e.message : String(e))})\n`,
      );
      return 2;
    }
  }
  const opts = { fileName: file, seed, compat: dialect, external };
  if (verb === "validate") {
    // an external mapping without its script's output: the skeleton is valid, the expansion waits for that output
    const pre = parseSkeleton(text, { fileName: file });
    const needs = pre.ok ? externalNeeds(pre.skeleton, { ...readEmbeddedExternal(text), ...external }) : [];
    if (pre.ok && needs.length) {
      const problems = crossStageProblems(pre.skeleton);
      const errors = problems.filter((p) => p.severity === "error");
      report(io, file, errors, [
        ...pre.warnings,
        ...problems.filter((p) => p.severity === "warning").map((p) => ({ ...p, code: "OTHER" as const })),
      ]);
      if (errors.length) return 2;
      const tasks = pre.skeleton.stages.reduce(
        (a, d) => a + d.numTasks * Math.max(1, d.iteration?.num ?? 1),
        0,
      );
      io.out(
        `${safe(file)}: valid (${pre.format}): ${pre.skeleton.stages.length} stage(s), ${tasks} task(s)\n`,
      );
      for (const n of needs)
        io.out(
          `  needs: ${safe(externalNeedText(n))}; to expand the skeleton, give it with --external ${safe(n.stage)}=OUTPUT.txt\n`,
        );
      return 0;
    }
    const r = loadSkeletonText(text, opts);
    report(io, file, r.ok ? [] : r.errors, r.warnings);
    if (!r.ok) return 2;
    const m = workloadMetrics(r.workload);
    io.out(
      `${safe(file)}: valid (${r.format}): ${r.workload.stages.length} stage(s), ${m.tasks} task(s), ${m.inputMB.toFixed(2)} MB in, ${m.outputMB.toFixed(2)} MB out\n`,
    );
    for (const s of m.stages)
      io.out(
        `  ${s.name}: ${s.tasks} task(s), ${s.lengthMin}–${s.lengthMax} s, ${s.coresMax} core(s) each${s.dependsOn.length ? `, after ${s.dependsOn.join(", ")}` : ""}\n`,
      );
    return 0;
  }
  const format = FORMATS.find((f) => f === values.format);
  if (!format) {
    io.err(`--format must be json, shell or setup\n${USAGE}`);
    return 2;
  }
  // no workload here: the expansion alone is what the emitters read, and it is held once
  const r: ExpandTextResult = expandSkeletonText(text, opts);
  report(io, file, r.ok ? [] : r.errors, r.ok ? r.expanded.warnings : r.warnings);
  if (!r.ok) return 2;
  const chunks =
    format === "shell"
      ? shellChunks(r.expanded, dialect)
      : format === "setup"
        ? setupChunks(r.expanded)
        : jsonChunks(r.expanded, dialect, file.replace(/^.*\//, ""));
  await io.outChunks(chunks);
  return 0;
}
