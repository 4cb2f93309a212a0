/** The run simulator (issue 15): one run as events, or many as TTC quantiles. */
export { simulateRun, prepare, type Prepared } from "./run";
export { simulateMany, quantile, type SimSummary } from "./many";
export { drawWait, describeWait } from "./waits";
export type { SimInput, SimPilot, SimResult, Overheads, QueueWaitModel, Terms } from "./types";
