import type { ResourceSnapshot } from "../model/resource";
import type { Workload, WorkloadTask } from "../model/workload";

/** Hand-made inputs for planner tests (no parser involved). */
export function resource(
  label: string,
  o: Partial<ResourceSnapshot> = {},
  q: Partial<ResourceSnapshot["queues"][number]> = {},
): ResourceSnapshot {
  return {
    resourceId: label,
    label,
    batch: "slurm",
    host: `${label}.example.org`,
    takenAt: "2026-11-24T10:00:00Z",
    source: "static-json",
    nodes: 100,
    coresPerNode: 16,
    queues: [
      {
        name: "normal",
        isDefault: true,
        enabled: true,
        maxWalltimeSeconds: null,
        maxCoresPerJob: 4096,
        maxQueuedJobs: null,
        nodesTotal: 100,
        nodesFree: 50,
        coresTotal: 1600,
        coresFree: 800,
        jobsQueued: 0,
        jobsRunning: 0,
        ...q,
      },
    ],
    waitHistory: [],
    bandwidthInMBps: null,
    bandwidthOutMBps: null,
    ...o,
  };
}

export function task(stage: number, i: number, length: number, o: Partial<WorkloadTask> = {}): WorkloadTask {
  return {
    id: `Stage_${stage}_${i}`,
    stage: `Stage_${stage}`,
    stageIndex: stage - 1,
    type: "serial",
    mode: "time",
    cores: 1,
    length,
    readBuffer: 65536,
    writeBuffer: 65536,
    interleave: 0,
    inputs: [],
    outputs: [],
    dependsOn: [],
    ...o,
  };
}

/** The SC2014 demo: 20 × 10 s tasks (1 MiB in, 20000 B out), then 1 × 32 s task reading the 20 outputs (1 MiB out). */
export function sc2014(): Workload {
  const f = (dir: string, name: string, size: number) => ({ dir, name, path: `${dir}/${name}`, size });
  const s1 = Array.from({ length: 20 }, (_, i) =>
    task(1, i, 10, {
      inputs: [f("Stage_1_Input", `Stage_1_Input_0_${i + 1}`, 1048576)],
      outputs: [f("Stage_1_Output", `Stage_1_Output_0_${i + 1}`, 20000)],
    }),
  );
  const s2 = task(2, 0, 32, {
    inputs: s1.map((t) => t.outputs[0]!),
    outputs: [f("Stage_2_Output", "Stage_2_Output_0_1", 1048576)],
    dependsOn: s1.map((t) => t.id),
  });
  return {
    name: "sc2014",
    seed: 0,
    stages: [
      { name: "Stage_1", index: 0, taskIds: s1.map((t) => t.id), dependsOn: [] },
      { name: "Stage_2", index: 1, taskIds: [s2.id], dependsOn: ["Stage_1"] },
    ],
    tasks: [...s1, s2],
    warnings: [],
  };
}
