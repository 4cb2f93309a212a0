import type { ResourceSnapshot, QueueSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import type { ExecutionStrategy, Policy, PlannedPilot, TrailEntry } from "./types";
import { minOf } from "../util/extent";

/**
 * The original SC2014 planner, rule for rule (reference §3.4–3.7), with its labels:
 * B01/B02 execution boundaries, E01–E03 heuristics, D01–D05 decisions, and its walltime
 * formula ⌈compute + staging + overhead⌉ / 60 with compute = longest task × #pilots,
 * staging = 5 s per MB (bytes/1024/1024) of all inputs and outputs, overhead = 600 + 4 s per task.
 * Its shortcuts are kept on purpose (every resource is used; cores are Σ over all stages;
 * queue limits are not checked); the adaptive strategy is where they are fixed.
 */
const DEFAULT_QUEUES = ["normal", "batch", "default", "regular"];

export function defaultQueue(r: ResourceSnapshot): QueueSnapshot | undefined {
  return (
    r.queues.find((q) => DEFAULT_QUEUES.includes(q.name)) ?? r.queues.find((q) => q.isDefault) ?? r.queues[0]
  );
}

export function workloadBounds(w: Workload) {
  let sumCores = 0;
  let sumLen = 0;
  let maxCores = 0;
  let maxLen = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  for (const t of w.tasks) {
    const len = Math.ceil(t.length);
    sumCores += t.cores;
    sumLen += len;
    maxCores = Math.max(maxCores, t.cores);
    maxLen = Math.max(maxLen, len);
    for (const f of t.inputs) bytesIn += f.size;
    for (const f of t.outputs) bytesOut += f.size;
  }
  return { sumCores, sumLen, maxCores, maxLen, bytesIn, bytesOut, tasks: w.tasks.length };
}

export function planAimes(w: Workload, resources: ResourceSnapshot[], policy: Policy): ExecutionStrategy {
  const b = workloadBounds(w);
  const e01 = policy.concurrencyPercent ?? 100;
  const trail: TrailEntry[] = [
    { label: "G01", title: "Goal", value: "Minimize time to completion (MinTTC)" },
    {
      label: "B01",
      title: "lowest number of cores / longest execution time",
      value: `${b.maxCores} core(s) / ${b.sumLen} s`,
      formula: "max task cores / Σ ⌈task length⌉",
      inputs: { tasks: b.tasks },
    },
    {
      label: "B02",
      title: "highest number of cores / shortest execution time",
      value: `${b.sumCores} core(s) / ${b.maxLen} s`,
      formula: "Σ task cores / max ⌈task length⌉",
      inputs: { tasks: b.tasks },
    },
    { label: "E01", title: "degree of concurrency", value: `${e01} %` },
    {
      label: "E02",
      title: "percentage of bundle resources targeted",
      value: "100 %",
      note: "the original compared this percentage with a count, so every resource is selected",
    },
    {
      label: "E03",
      title: "priority of resource information",
      value: "Queue num_cores, Queue length, Load, Bandwidth in, Bandwidth out",
    },
  ];
  const rows = resources.map((r) => {
    const q = defaultQueue(r);
    const alive = q?.nodesTotal ?? 0;
    return {
      r,
      q,
      numCores: q?.maxCoresPerJob ?? q?.coresTotal ?? r.nodes * r.coresPerNode,
      length: q?.jobsQueued ?? 0,
      load: alive > 0 ? ((alive - (q?.nodesFree ?? 0)) * 100) / alive : 0,
      bwIn: r.bandwidthInMBps ?? 0,
      bwOut: r.bandwidthOutMBps ?? 0,
    };
  });
  // D02: sort by [num_cores desc, queue length asc, load asc, bandwidth in desc, bandwidth out desc] (stable)
  rows.sort(
    (x, y) =>
      y.numCores - x.numCores ||
      x.length - y.length ||
      x.load - y.load ||
      y.bwIn - x.bwIn ||
      y.bwOut - x.bwOut,
  );
  const n = rows.length;
  trail.push({
    label: "D01",
    title: "How many pilots?",
    value: n,
    formula: "one pilot per bundle resource (E02 = 100)",
    inputs: { resources: n },
  });
  trail.push({
    label: "D02",
    title: "resource priority",
    value: rows
      .map((x) => `${x.r.label} (cores ${x.numCores}, queue ${x.length}, load ${x.load.toFixed(0)} %)`)
      .join("; "),
  });
  trail.push({
    label: "D03",
    title: "which resources",
    value: rows.map((x) => x.r.label).join(", "),
    note: "taken from the sorted list while fewer than E02 = 100 are selected",
  });
  trail.push({ label: "D04", title: "container", value: "Pilot" });
  const scheduler = policy.binding === "early" ? "direct" : n > 1 ? "backfilling" : "direct";
  trail.push({
    label: "D05",
    title: "scheduler",
    value: n > 1 ? "SCHED_BACKFILLING" : "SCHED_DIRECT_SUBMISSION",
    formula: "backfilling when more than one resource, else direct submission",
  });

  const early = policy.binding === "early";
  const used = early ? rows.slice(0, 1) : rows;
  const np = used.length;
  const cores = Math.ceil((b.sumCores * e01) / 100);
  const compute = b.maxLen * np;
  const staging = ((b.bytesIn + b.bytesOut) / 1024 / 1024) * 5;
  const overhead = 600 + b.tasks * 4;
  const perPilot = Math.ceil(cores / np);
  const minutes = Math.ceil(compute + staging + overhead) / 60;
  trail.push({
    label: "cores",
    title: "Total number of cores",
    value: cores,
    formula: "⌈Σ task cores × E01 / 100⌉",
    inputs: { "Σ task cores": b.sumCores, E01: e01 },
  });
  trail.push({
    label: "pilot cores",
    title: "cores per pilot",
    value: perPilot,
    formula: "⌈cores / #pilots⌉",
    inputs: { cores, pilots: np },
  });
  trail.push({
    label: "compute",
    title: "compute time",
    value: compute,
    formula: "longest task × #pilots (s): one surviving pilot at 1/n concurrency",
    inputs: { "longest task": b.maxLen, pilots: np },
  });
  trail.push({
    label: "staging",
    title: "staging time",
    value: Number(staging.toFixed(2)),
    formula: "(input + output bytes) / 1024 / 1024 × 5 s",
    inputs: { "input bytes": b.bytesIn, "output bytes": b.bytesOut },
  });
  trail.push({
    label: "overhead",
    title: "RP overhead",
    value: overhead,
    formula: "600 s + 4 s × #tasks",
    inputs: { tasks: b.tasks },
  });
  trail.push({
    label: "walltime",
    title: "pilot walltime (minutes)",
    value: Number(minutes.toFixed(4)),
    formula: "⌈compute + staging + overhead⌉ / 60",
    inputs: { compute, staging: Number(staging.toFixed(2)), overhead },
  });

  const pilots: PlannedPilot[] = used.map((x) => ({
    resourceId: x.r.resourceId,
    resource: x.r.label,
    queue: x.q?.name ?? null,
    cores: perPilot,
    nodes: Math.max(1, Math.ceil(perPilot / Math.max(1, x.r.coresPerNode))),
    walltimeMinutes: minutes,
    project: null,
  }));
  const waits = used.map((x) => x.r.waitHistory.find((h) => h.queue === x.q?.name)?.medianSeconds ?? 0);
  return {
    strategy: "aimes",
    binding: early ? "early" : "late",
    scheduler,
    pilots,
    predictedTtcSeconds: minOf(waits) + compute / np + staging + overhead,
    assumptions: [
      "the original's formulas: walltime lets one surviving pilot run everything; 600 s bootstrap + 4 s per task; 5 s per MB staging",
    ],
    trail,
    rejected: [],
    warnings: [],
  };
}
