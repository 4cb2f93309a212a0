import type { Workload, WorkloadWarning } from "../model/workload";
import { readEmbeddedExternal } from "./embedded-external";
import { expandSkeleton, type Compat, type Expanded } from "./expand";
import { parseAimes } from "./parse";
import { parseStructured } from "./structured";
import type { ParseResult, Skeleton, SkeletonError, SkeletonWarning } from "./types";
import { toWorkload } from "./workload";

/** `aimes`: the Key = value text (2014/2017, or the 2013 format, see `legacy`); `structured`: JSON/YAML. */
export type SkeletonFormat = "aimes" | "structured";

/**
 * Which of the two forms a text is: the file extension when it says (.json/.yaml/.yml vs
 * .conf/.input/.txt), else the first line that is not blank or a comment: `{`, `[`, `---`,
 * `- …` or `key:` mean JSON/YAML; anything else is read as AIMES text (whose errors then explain).
 */
export function detectFormat(text: string, fileName = ""): SkeletonFormat {
  const ext = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === "json" || ext === "yaml" || ext === "yml") return "structured";
  if (ext === "conf" || ext === "input" || ext === "txt") return "aimes";
  const first =
    text
      .replace(/^\uFEFF/, "")
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "" && !l.startsWith("#")) ?? "";
  if (/^[\w.]+\s*=/.test(first)) return "aimes";
  return /^(\{|\[|---|- |["']?[\w-]+["']?\s*:)/.test(first) ? "structured" : "aimes";
}

export type ParseSkeletonResult = ParseResult & { format: SkeletonFormat; legacy: boolean };

/** Parses either form into the Skeleton model, with every error at its line and column. */
export function parseSkeleton(text: string, opts: { fileName?: string } = {}): ParseSkeletonResult {
  const format = detectFormat(text, opts.fileName);
  if (format === "structured") return { ...parseStructured(text), format, legacy: false };
  return { ...parseAimes(text), format };
}

/** A warning from any step; those of the parser and the expander carry their place in the file. */
export type LoadWarning = Pick<WorkloadWarning, "code" | "message"> & { line?: number; column?: number };

export interface LoadOptions {
  fileName?: string;
  seed?: number;
  /** direct-reference semantics (lib/skeleton/expand.ts); default 2014, the SC2014 demo's library */
  compat?: Compat;
  /** the output of external mapping scripts, by stage name or script path */
  external?: Record<string, string>;
}

export type LoadResult =
  | {
      ok: true;
      format: SkeletonFormat;
      legacy: boolean;
      skeleton: Skeleton;
      expanded: Expanded;
      workload: Workload;
      warnings: LoadWarning[];
    }
  | { ok: false; format: SkeletonFormat; legacy: boolean; errors: SkeletonError[]; warnings: LoadWarning[] };

export type ExpandTextResult =
  | Exclude<LoadResult, { ok: true }>
  | { ok: true; format: SkeletonFormat; legacy: boolean; skeleton: Skeleton; expanded: Expanded };

/**
 * Parse and expand, without the workload: what the emitters need. The CLI's `expand` uses this,
 * so the largest accepted skeleton is held once (as the expansion) and not a second time as a
 * workload. The expansion's warnings are every warning of the parser and the expander, in order.
 */
export function expandSkeletonText(text: string, opts: LoadOptions = {}): ExpandTextResult {
  const parsed = parseSkeleton(text, opts);
  const { format, legacy } = parsed;
  if (!parsed.ok) return { ok: false, format, legacy, errors: parsed.errors, warnings: parsed.warnings };
  // mapper outputs embedded in the text (the web app's upload), overridden by those given (--external)
  const external = { ...readEmbeddedExternal(text), ...(opts.external ?? {}) };
  const x = expandSkeleton(parsed.skeleton, {
    seed: opts.seed ?? 0,
    compat: opts.compat ?? "2014",
    fileName: opts.fileName ?? "skeleton",
    ...(Object.keys(external).length ? { external } : {}),
  });
  if (!x.ok)
    return { ok: false, format, legacy, errors: x.errors, warnings: [...parsed.warnings, ...x.warnings] };
  const all: SkeletonWarning[] = [...parsed.warnings, ...x.expanded.warnings];
  return { ok: true, format, legacy, skeleton: parsed.skeleton, expanded: { ...x.expanded, warnings: all } };
}

/**
 * One call for the web app, the CLI and the engine: detect the form, parse, expand with the
 * seed, and give the workload (whose warnings include every warning), or every error with its
 * line and column.
 */
export function loadSkeletonText(text: string, opts: LoadOptions = {}): LoadResult {
  const r = expandSkeletonText(text, opts);
  if (!r.ok) return r;
  const { format, legacy, expanded } = r;
  const all = expanded.warnings;
  const workload = toWorkload(expanded);
  const extra = workload.warnings.slice(all.length).map((w) => ({ code: w.code, message: w.message }));
  return { ok: true, format, legacy, skeleton: r.skeleton, expanded, workload, warnings: [...all, ...extra] };
}
