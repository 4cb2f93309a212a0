import type { Workload } from "../model/workload";
import { seededRng } from "../skeleton/rng";
import type { AimesData, RunRow, PilotRow } from "./aimes-data";
import { fitOverheads, laterPerTaskFor, overheadsFor, type Fitted } from "./aimes-fit";
import { simulateRun } from "./run";
import type { SimInput, SimPilot } from "./types";

/**
 * Replay: each measured run simulated with its own pilots' measured submission times and queue
 * waits (a pilot that never became active never starts), its own workload, and the overheads
 * of the data set (fitted from tasks.csv when present, else documented defaults). The measured
 * TTC is the data set's: last pilot state change − session created.
 */
export const TOLERANCE = 0.15;

export function bagOf(
  r: Pick<RunRow, "n_tasks" | "task_length_s" | "input_bytes_per_task" | "output_bytes_per_task">,
): Workload {
  const file = (dir: string, i: number, size: number) => [
    { name: `${dir}_${i}`, dir, path: `${dir}/${dir}_${i}`, size },
  ];
  const tasks = Array.from({ length: r.n_tasks }, (_, i) => ({
    id: `Stage_1_${i}`,
    stage: "Stage_1",
    stageIndex: 0,
    type: "serial",
    mode: "time" as const,
    cores: 1,
    length: r.task_length_s,
    readBuffer: 0,
    writeBuffer: 0,
    interleave: 0,
    inputs: r.input_bytes_per_task > 0 ? file("in", i, r.input_bytes_per_task) : [],
    outputs: r.output_bytes_per_task > 0 ? file("out", i, r.output_bytes_per_task) : [],
    dependsOn: [],
  }));
  return {
    name: `bag of ${r.n_tasks}`,
    seed: 0,
    stages: [{ name: "Stage_1", index: 0, taskIds: tasks.map((t) => t.id), dependsOn: [] }],
    tasks,
    warnings: [],
  };
}

export function replayInput(r: RunRow, pilots: readonly PilotRow[], fit: Fitted, record = false): SimInput {
  const ps: SimPilot[] = pilots.map((p) => {
    const submit = p.t_submitted_s ?? p.t_created_s ?? 0;
    const never = p.t_active_s === null || p.t_submitted_s === null;
    return {
      id: p.pilot_uid,
      label: p.resource,
      queue: null,
      cores: p.cores,
      walltimeS: p.walltime_min * 60,
      submitAtS: submit,
      overheads: overheadsFor(fit, r, p.resource),
      wait: never
        ? { kind: "never", source: "measured: never active" }
        : { kind: "fixed", seconds: p.t_active_s! - p.t_submitted_s!, source: "measured" },
    };
  });
  // RADICAL-Pilot did not restart units in these runs ("restartable" was off)
  return {
    workload: bagOf(r),
    pilots: ps,
    maxRetries: 0,
    prefetchShare: 0,
    endS: fit.endS,
    record,
    runId: r.run_key,
  };
}

export interface ReplayRow {
  runKey: string;
  series: string;
  nTasks: number;
  measured: number;
  simulated: number | null;
  /** (simulated − measured) / measured */
  error: number | null;
  within: boolean;
  skipped?: string;
  /** why a run is outside the tolerance, as far as the data tell */
  why?: string;
}

export function replayRun(r: RunRow, pilots: readonly PilotRow[] | undefined, fit: Fitted): ReplayRow {
  const base = { runKey: r.run_key, series: r.series, nTasks: r.n_tasks, measured: r.ttc_s };
  if (!pilots || pilots.length === 0)
    return { ...base, simulated: null, error: null, within: false, skipped: "no pilot rows" };
  const sim = simulateRun(replayInput(r, pilots, fit), seededRng(0, r.run_key));
  const error = (sim.ttc - r.ttc_s) / r.ttc_s;
  const within = Math.abs(error) <= TOLERANCE && !sim.failed;
  return {
    ...base,
    simulated: sim.ttc,
    error,
    within,
    ...(within ? {} : { why: whyOff(r, sim.failed, sim.pilotsUsed, error, fit) }),
  };
}

function whyOff(r: RunRow, failed: string | undefined, used: number, error: number, fit: Fitted): string {
  if (failed) return `the simulation failed: ${failed}`;
  const tail = r.t_last_task_done_s !== null ? r.ttc_s - r.t_last_task_done_s : null;
  if (r.all_tasks_done === "false" && tail !== null && tail > 300) {
    return `the measured TTC is not a completion time: ${r.n_tasks_done ?? "?"} of ${r.n_tasks} tasks reached Done and the run ended ${Math.round(tail)} s after the last one (pilot walltime expiry; data README caveat 2)`;
  }
  if (r.n_pilots_used != null && r.n_pilots_used !== used)
    return `the measured run executed tasks on ${r.n_pilots_used} pilot(s), the simulation on ${used}: RADICAL-Pilot's binding differed from EManager's`;
  if (r.data_level === "pilots_from_log")
    return "pilot times come from log.txt (1 s resolution, about ±10 s anchoring; no task data)";
  if (error > 0)
    return `simulated too slow: the re-binding cost fitted for bags of this size (${laterPerTaskFor(fit, r.n_tasks, 0).toFixed(2)} s per task after a pilot's first fill) is more than this run's`;
  return "simulated too fast: this run handed over or executed its tasks more slowly than the data set's medians";
}

export function replayAll(
  d: AimesData,
  fit: Fitted = fitOverheads(d),
): { rows: ReplayRow[]; within: number; counted: number; fit: Fitted } {
  const rows = d.runs.map((r) => replayRun(r, d.pilotsByRun.get(r.run_key), fit));
  const counted = rows.filter((x) => !x.skipped);
  return { rows, within: counted.filter((x) => x.within).length, counted: counted.length, fit };
}
