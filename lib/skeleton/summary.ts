import type { Workload } from "../model/workload";
import { distText } from "./dist";
import type { Expanded, XStage } from "./expand";
import { histogram, type HistogramBin } from "./histogram";
import { workloadMetrics, type WorkloadMetrics } from "./metrics";
import { toWorkload } from "./workload";

/**
 * What the web preview shows before a run: a stages table, a few histograms and the stage
 * dependency edges for the picture. Plain data, JSON-serialisable.
 */
export interface StageSummary {
  name: string;
  index: number;
  tasks: number;
  cores: { perTaskMin: number; perTaskMax: number; total: number };
  /** seconds (FLOPs for flops mode); `dist` as written, e.g. "normal [10, 2]" */
  length: { min: number; mean: number; max: number; dist: string; mode: string };
  inputs: { files: number; bytes: number };
  outputs: { files: number; bytes: number };
  dependsOn: string[];
  /** for stages unrolled from an iteration: which stage of the file, and which of how many copies */
  iteration: { of: string; index: number; count: number } | null;
}

export interface StageEdge {
  from: string;
  to: string;
  /** file references along the edge (a file read by two tasks counts twice) */
  files: number;
}

export interface SkeletonSummary {
  name: string;
  seed: number;
  totals: Omit<WorkloadMetrics, "stages"> & { stages: number };
  stages: StageSummary[];
  histograms: { length: HistogramBin[]; inputSize: HistogramBin[]; outputSize: HistogramBin[] };
  edges: StageEdge[];
  warnings: string[];
}

function iterationOf(st: XStage, all: XStage[]): StageSummary["iteration"] {
  if (!st.copied) return null;
  const copies = all.filter((s) => s.def === st.def);
  return { of: st.def.name, index: copies.indexOf(st) + 1, count: copies.length };
}

function edgesOf(w: Workload): StageEdge[] {
  const producer = new Map<string, string>();
  for (const t of w.tasks) for (const o of t.outputs) producer.set(o.path, t.stage);
  const count = new Map<string, StageEdge>();
  for (const t of w.tasks) {
    for (const f of t.inputs) {
      const from = producer.get(f.path);
      if (from === undefined) continue;
      const key = `${from}\u0000${t.stage}`;
      const e = count.get(key) ?? { from, to: t.stage, files: 0 };
      e.files += 1;
      count.set(key, e);
    }
  }
  return [...count.values()];
}

export function summarizeSkeleton(
  x: Expanded,
  opts: { bins?: number; workload?: Workload } = {},
): SkeletonSummary {
  const w = opts.workload ?? toWorkload(x);
  const m = workloadMetrics(w);
  const { stages: stageMetrics, ...rest } = m;
  const stages = x.stages.map((st, i): StageSummary => {
    const s = stageMetrics[i]!;
    const cores = Number(st.def.processes);
    return {
      name: st.name,
      index: i,
      tasks: s.tasks,
      cores: { perTaskMin: cores, perTaskMax: cores, total: s.coresSum },
      length: {
        min: s.lengthMin,
        mean: s.lengthMean,
        max: s.lengthMax,
        dist: distText(st.def.length),
        mode: st.mode,
      },
      inputs: { files: s.inputFiles, bytes: s.inputBytes },
      outputs: { files: s.outputFiles, bytes: s.outputBytes },
      dependsOn: s.dependsOn,
      iteration: iterationOf(st, x.stages),
    };
  });
  const produced = new Set(w.tasks.flatMap((t) => t.outputs.map((o) => o.path)));
  const initial = new Map<string, number>();
  for (const t of w.tasks) for (const f of t.inputs) if (!produced.has(f.path)) initial.set(f.path, f.size);
  return {
    name: w.name,
    seed: w.seed,
    totals: { ...rest, stages: stages.length },
    stages,
    histograms: {
      length: histogram(
        w.tasks.map((t) => t.length),
        opts.bins,
      ),
      inputSize: histogram([...initial.values()], opts.bins),
      outputSize: histogram(
        w.tasks.flatMap((t) => t.outputs.map((o) => o.size)),
        opts.bins,
      ),
    },
    edges: edgesOf(w),
    warnings: w.warnings.map((x) => x.message),
  };
}
