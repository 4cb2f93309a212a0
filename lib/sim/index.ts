/** The run simulator (issue 15): one run as events, or many as TTC quantiles. */
export { simulateRun, prepare, type Prepared } from "./run";
export { simulateMany, quantile, type SimSummary } from "./many";
export { drawWait, describeWait } from "./waits";
export { predictPlan, type Prediction } from "./predict";
export {
  inputFromPlan,
  defaultWait,
  DEFAULT_OVERHEADS,
  DEFAULT_END_S,
  ENGINE_PREFETCH_SHARE,
  ZQueueWaitsFile,
  type ModelOptions,
  type QueueWaitsFile,
} from "./from-plan";
export type { SimInput, SimPilot, SimResult, Overheads, QueueWaitModel, Terms } from "./types";
