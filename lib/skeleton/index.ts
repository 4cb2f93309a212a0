/**
 * AIMES skeletons: parse (the 2014/2017 text format, the 2013 format where it converts cleanly,
 * or JSON/YAML), expand with a seed into concrete tasks and files, emit the original library's
 * outputs byte for byte, and turn the result into the Workload that the planner and the engine
 * use. Pure: no file system, clock or global randomness.
 */
export {
  loadSkeletonText,
  expandSkeletonText,
  parseSkeleton,
  detectFormat,
  type LoadResult,
  type ExpandTextResult,
  type LoadOptions,
  type LoadWarning,
  type ParseSkeletonResult,
  type SkeletonFormat,
} from "./load";
export {
  expandSkeleton,
  dirOf,
  applicationName,
  type Expanded,
  type ExpandOptions,
  type ExpandResult,
  type Compat,
  type XStage,
  type XTask,
  type XFile,
} from "./expand";
export { toWorkload } from "./workload";
export {
  emitShell,
  emitSetup,
  setupCommands,
  taskCommand,
  shellChunks,
  setupChunks,
  type Dialect,
} from "./emit";
export { emitJson, jsonChunks } from "./emit-json";
export { workloadMetrics, type WorkloadMetrics, type StageMetrics } from "./metrics";
export { summarizeSkeleton, type SkeletonSummary, type StageSummary, type StageEdge } from "./summary";
export { histogram, type HistogramBin } from "./histogram";
export { formatAimes } from "./format-aimes";
export { parseAimes } from "./parse";
export { parseStructured, ZStructuredSkeleton, type TStructuredSkeleton } from "./structured";
export { seededRng } from "./rng";
export { MAX_TASKS, MAX_FILE_REFS, MAX_STAGES, MAX_SLOTS } from "./limits";
export type {
  Skeleton,
  StageDef,
  Dist,
  Source,
  SlotRef,
  Mapping,
  Iteration,
  InputSlot,
  SkeletonError,
  SkeletonWarning,
  ParseResult,
} from "./types";
