import type { Workload } from "../model/workload";
import type { Overheads, QueueWaitModel, SimInput, SimPilot } from "./types";

/** Hand-checkable inputs for the simulator's tests: no overheads unless asked. */
export const ZERO: Overheads = {
  startupS: 0,
  perTaskS: 0,
  bandwidthInBps: Infinity,
  bandwidthOutBps: Infinity,
  stageOutS: 0,
  execOverrunS: 0,
};

export function bag(n: number, seconds: number, o: { cores?: number; inBytes?: number } = {}): Workload {
  const tasks = Array.from({ length: n }, (_, i) => ({
    id: `Stage_1_${i}`,
    stage: "Stage_1",
    stageIndex: 0,
    type: "serial",
    mode: "time" as const,
    cores: o.cores ?? 1,
    length: seconds,
    readBuffer: 0,
    writeBuffer: 0,
    interleave: 0,
    inputs: o.inBytes ? [{ name: `in_${i}`, dir: "in", path: `in/in_${i}`, size: o.inBytes }] : [],
    outputs: [],
    dependsOn: [],
  }));
  return {
    name: "bag",
    seed: 0,
    stages: [{ name: "Stage_1", index: 0, taskIds: tasks.map((t) => t.id), dependsOn: [] }],
    tasks,
    warnings: [],
  };
}

export function pilot(
  id: string,
  cores: number,
  wait: number | null | QueueWaitModel,
  o: Partial<SimPilot> = {},
): SimPilot {
  const model: QueueWaitModel =
    wait === null
      ? { kind: "never", source: "test" }
      : typeof wait === "number"
        ? { kind: "fixed", seconds: wait, source: "test" }
        : wait;
  return {
    id,
    label: id,
    queue: null,
    cores,
    walltimeS: 3600,
    submitAtS: 0,
    wait: model,
    overheads: ZERO,
    ...o,
  };
}

export function input(workload: Workload, pilots: SimPilot[], o: Partial<SimInput> = {}): SimInput {
  return {
    workload,
    pilots,
    maxRetries: 3,
    prefetchShare: 0,
    endS: 0,
    record: true,
    t0Ms: 1_800_000_000_000,
    runId: "sim-test",
    ...o,
  };
}
