import type { Workload } from "../model/workload";
import { expand, type Expanded } from "./expand";
import { parseAimes } from "./parse";
import { parseStructured } from "./structured";
import { seededRng } from "./rng";
import type { SkeletonError } from "./types";
import { toWorkload } from "./workload";

export { emitJson, emitSetup, emitShell, setupCommands, type Dialect } from "./emit";
export { expand, type Expanded } from "./expand";
export { parseAimes } from "./parse";
export { seededRng } from "./rng";
export type { Skeleton, SkeletonError } from "./types";
export { toWorkload, workloadMetrics, type WorkloadMetrics, type StageMetrics } from "./workload";

export type LoadResult =
  | { ok: true; workload: Workload; expanded: Expanded; format: "aimes" | "structured" }
  | { ok: false; errors: SkeletonError[]; format: "aimes" | "structured" };

/** Looks like JSON or YAML (the documented second form) rather than the AIMES key = value text. */
export function isStructured(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "" && !l.trim().startsWith("#"))?.trim() ?? "";
  return first.startsWith("{") || /^[A-Za-z_]+\s*:/.test(first);
}

/**
 * One call for the web app, the CLI and the engine: detect the format, parse, expand with the
 * seed (2014 semantics by default), and give the workload, or every error with its line.
 */
export function loadSkeletonText(text: string, opts: { fileName?: string; seed?: number; compat?: "2014" | "2017" } = {}): LoadResult {
  const format = isStructured(text) ? "structured" : "aimes";
  const parsed = format === "structured" ? parseStructured(text) : parseAimes(text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, format };
  const seed = opts.seed ?? 0;
  const x = expand(parsed.skeleton, seededRng(seed), opts.compat ?? "2014");
  if (!x.ok) return { ok: false, errors: x.errors, format };
  const name = (opts.fileName ?? "skeleton").replace(/^.*\//, "").replace(/\.[^.]*$/, "");
  return { ok: true, workload: toWorkload(x.expanded, name, seed), expanded: x.expanded, format };
}
