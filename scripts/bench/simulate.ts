import { simulateMany } from "../../lib/sim/many";
import { simulateRun } from "../../lib/sim/run";
import { DEFAULT_END_S, DEFAULT_OVERHEADS } from "../../lib/sim/from-plan";
import { seededRng } from "../../lib/skeleton/rng";
import type { SimInput } from "../../lib/sim/types";
import { emptyView, foldEvents } from "../../lib/stats/fold";
import { computeStats } from "../../lib/stats/metrics";
import type { BenchRow } from "./types";
import { timeIt } from "./util";

/**
 * The simulator's Monte-Carlo cost (issue 15: 1,000 runs of a 2,048-task, 4-resource run in
 * under 2 s), against folding one run of the same size with lib/stats, the page's work on opening it.
 */
export function aimesLikeInput(): SimInput {
  const tasks = Array.from({ length: 2048 }, (_, i) => ({
    id: `Stage_1_${i}`,
    stage: "Stage_1",
    stageIndex: 0,
    type: "serial",
    mode: "time" as const,
    cores: 1,
    length: 900,
    readBuffer: 0,
    writeBuffer: 0,
    interleave: 0,
    inputs: [{ name: `in_${i}`, dir: "in", path: `in/in_${i}`, size: 1_048_576 }],
    outputs: [],
    dependsOn: [],
  }));
  const workload = {
    name: "bag",
    seed: 0,
    stages: [{ name: "Stage_1", index: 0, taskIds: tasks.map((t) => t.id), dependsOn: [] }],
    tasks,
    warnings: [],
  };
  // four resources with measured-like waits: a quarter of the pilots never start
  const pilots = ["stampede", "supermic", "comet", "gordon"].map((r, k) => ({
    id: `p${k}`,
    label: `xsede.${r}`,
    queue: "normal",
    cores: 512,
    walltimeS: 4 * 900 + 600 + 4 * 2048,
    submitAtS: 10 * k,
    overheads: DEFAULT_OVERHEADS,
    wait: { kind: "samples" as const, seconds: [46, 60, 136, 420, 1831], neverShare: 0.25, source: "bench" },
  }));
  return { workload, pilots, maxRetries: 3, prefetchShare: 0, endS: DEFAULT_END_S };
}

export async function bench(): Promise<BenchRow[]> {
  const input = aimesLikeInput();
  const sims = await timeIt(() => simulateMany(input, 1000, 1));
  const events = simulateRun({ ...input, record: true }, seededRng(1, "bench")).events;
  const fold = await timeIt(() => computeStats(events, foldEvents(emptyView(), events)));
  return [
    {
      figure: "simulation: 1,000 runs of 2,048 tasks × 4 resources (Monte Carlo, figures only)",
      value: sims,
      unit: "ms",
      baseline: {
        label: `one real fold + statistics of a run of the same size (${events.length.toLocaleString("en")} events)`,
        value: fold,
        unit: "ms",
      },
      ratio: sims / fold,
      budget: "< 2 s",
    },
  ];
}
