import type { Workload } from "../model/workload";
import { seededRng } from "../skeleton/rng";
import type { AimesData, RunRow, PilotRow } from "./aimes-data";
import { quantile } from "./many";
import { simulateRun } from "./run";
import { DEFAULT_END_S, DEFAULT_OVERHEADS } from "./from-plan";
import { pushAll } from "../util/extent";
import type { Overheads, SimInput, SimPilot } from "./types";

/**
 * Replay: each measured run simulated with its own pilots' measured submission times and queue
 * waits (a pilot that never became active never starts), its own workload, and the overheads
 * of the data set (fitted from tasks.csv when present, else documented defaults). The measured
 * TTC is the data set's: last pilot state change − session created.
 */
export const TOLERANCE = 0.15;

export interface Fitted {
  /** for runs that staged input files, and for runs that did not */
  staged: Overheads;
  plain: Overheads;
  endS: number;
  /** [bag size, seconds per task handed over after a pilot's first fill], fitted per bag size */
  laterPerTask: [number, number][];
  source: string;
}

const med = (xs: number[], d: number) => (xs.length ? quantile(Float64Array.from(xs).sort(), 0.5) : d);

/**
 * Agent start-up, hand-over rate, execution overrun and end latency, as medians over the data;
 * with `series`, over that series' runs only (each series ran its own driver and RADICAL-Pilot
 * version), anything it has no data for taken from the fit over all runs.
 */
export function fitOverheads(all: AimesData, series?: string): Fitted {
  if (series !== undefined) {
    const g = fitOverheads(all);
    const runs = all.runs.filter((r) => r.series === series);
    const keys = new Set(runs.map((r) => r.run_key));
    const d: AimesData = {
      runs,
      pilotsByRun: new Map([...all.pilotsByRun].filter(([k]) => keys.has(k))),
      tasks: all.tasks?.filter((t) => keys.has(t.run_key)) ?? null,
    };
    return fitFrom(d, g, `${series}: `);
  }
  return fitFrom(all, null, "");
}

function fitFrom(d: AimesData, g: Fitted | null, label: string): Fitted {
  const base = { ...DEFAULT_OVERHEADS, bandwidthInBps: Infinity, bandwidthOutBps: Infinity };
  if (!d.tasks && g) return g;
  if (!d.tasks) {
    // without tasks.csv: the README's medians, and the hand-over rates of reference §2 (5 units/s; 2/s with 1 MiB staged over SFTP)
    return {
      staged: { ...base, perTaskS: 0.5, execOverrunS: 0.4 },
      plain: { ...base, perTaskS: 0.05, execOverrunS: 0.4 },
      endS: DEFAULT_END_S,
      laterPerTask: [],
      source: "documented defaults (no tasks.csv)",
    };
  }
  const runOf = new Map(d.runs.map((r) => [r.run_key, r]));
  const byPilot = new Map<string, number[]>();
  const overrun: number[] = [];
  const lastEnd = new Map<string, number>();
  for (const t of d.tasks) {
    if (t.exec_start_s === null) continue;
    const key = `${t.run_key}\u0000${t.pilot_uid}`;
    const l = byPilot.get(key);
    if (l) l.push(t.exec_start_s);
    else byPilot.set(key, [t.exec_start_s]);
    const r = runOf.get(t.run_key);
    if (t.exec_end_s !== null && t.final_state === "Done" && r) {
      overrun.push(t.exec_end_s - t.exec_start_s - r.task_length_s);
      lastEnd.set(t.run_key, Math.max(lastEnd.get(t.run_key) ?? -Infinity, t.exec_end_s));
    }
  }
  const startup: number[] = [];
  const perTask = { staged: [] as number[], plain: [] as number[] };
  const later = new Map<number, number[]>();
  for (const [runKey, pilots] of d.pilotsByRun) {
    const r = runOf.get(runKey);
    if (!r) continue;
    // tasks after each pilot's first fill: the rate at which the run handed out more work
    const rest: number[] = [];
    for (const p of pilots) {
      const starts = byPilot.get(`${runKey}\u0000${p.pilot_uid}`);
      if (!starts || p.t_active_s === null) continue;
      starts.sort((a, b) => a - b);
      startup.push(starts[0]! - p.t_active_s);
      const gen = Math.min(p.cores, starts.length);
      if (gen >= 8)
        (r.input_bytes_per_task > 0 ? perTask.staged : perTask.plain).push(
          (starts[gen - 1]! - starts[0]!) / (gen - 1),
        );
      pushAll(rest, starts.slice(p.cores));
    }
    rest.sort((a, b) => a - b);
    if (rest.length >= 8)
      later.set(r.n_tasks, [
        ...(later.get(r.n_tasks) ?? []),
        (rest[rest.length - 1]! - rest[0]!) / (rest.length - 1),
      ]);
  }
  const done = d.runs.filter((r) => r.all_tasks_done === "true" && r.t_last_task_done_s !== null);
  const stageOut = done
    .filter((r) => lastEnd.has(r.run_key))
    .map((r) => r.t_last_task_done_s! - lastEnd.get(r.run_key)!);
  const gp = g?.plain ?? base;
  const common = {
    ...base,
    startupS: med(startup, gp.startupS),
    execOverrunS: med(overrun, g ? gp.execOverrunS : 0),
    stageOutS: med(stageOut, gp.stageOutS),
  };
  const fitted = new Map([...later].map(([n, xs]) => [n, med(xs, 0)]));
  for (const [n, v] of g?.laterPerTask ?? []) if (!fitted.has(n)) fitted.set(n, v);
  return {
    staged: { ...common, perTaskS: med(perTask.staged, g?.staged.perTaskS ?? 0.5) },
    plain: { ...common, perTaskS: med(perTask.plain, g?.plain.perTaskS ?? 0.05) },
    endS: med(
      done.map((r) => r.ttc_s - r.t_last_task_done_s!),
      g?.endS ?? DEFAULT_END_S,
    ),
    laterPerTask: [...fitted].sort((a, b) => a[0] - b[0]),
    source: `${label}fitted from tasks.csv: medians over ${startup.length} pilots, ${overrun.length} tasks, ${done.length} runs`,
  };
}

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

/** The fitted re-binding cost for a bag of `n` tasks: the nearest fitted bag size (log scale). */
export function laterPerTaskFor(fit: Fitted, n: number, fallback: number): number {
  let best: [number, number] | undefined;
  for (const x of fit.laterPerTask)
    if (!best || Math.abs(Math.log(x[0] / n)) < Math.abs(Math.log(best[0] / n))) best = x;
  return best ? best[1] : fallback;
}

export function overheadsFor(fit: Fitted, r: Pick<RunRow, "n_tasks" | "input_bytes_per_task">): Overheads {
  const o = r.input_bytes_per_task > 0 ? fit.staged : fit.plain;
  return { ...o, laterPerTaskS: laterPerTaskFor(fit, r.n_tasks, o.perTaskS) };
}

export function replayInput(r: RunRow, pilots: readonly PilotRow[], fit: Fitted, record = false): SimInput {
  const overheads = overheadsFor(fit, r);
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
      overheads,
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
