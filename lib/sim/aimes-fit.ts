import { pushAll } from "../util/extent";
import type { AimesData, RunRow, TaskCsvRow } from "./aimes-data";
import { DEFAULT_END_S, DEFAULT_OVERHEADS } from "./from-plan";
import { quantile } from "./many";
import type { Overheads } from "./types";

/**
 * The overheads of a data set of the AIMES form (tasks.csv), as medians, for the replay and the
 * distribution study. Two choices come from the data, not from taste:
 * - a task's start is its execution end − its length. RADICAL-Pilot's `Executing` time was
 *   recorded late under load (median −3.6 s "overrun" in the 2,048-task single-pilot runs, −6 to
 *   −8 s at 512 tasks, +0.5 to +2 s in small bags), while the end is what frees a core and ends a
 *   run; so the recorded overrun is folded into start-up and hand-over, and `execOverrunS` is 0.
 * - agent start-up and the first fill's hand-over rate are per resource: Stampede's agent took
 *   12–13 s to start where Gordon's, Comet's and SuperMIC's took 6–7 s, and Gordon handed tasks
 *   over 7× slower than Stampede (0.075 against 0.010 s per task, no staging).
 */

/** Agent start-up and first-fill hand-over of one resource. */
export interface PilotCosts {
  startupS: number;
  perTaskS: number;
}

export interface Fitted {
  /** for runs that staged input files, and for runs that did not (over every resource) */
  staged: Overheads;
  plain: Overheads;
  /** per resource label, keyed `staged:label` or `plain:label` */
  byResource: Map<string, PilotCosts>;
  endS: number;
  /** [bag size, seconds per task handed over after a pilot's first fill], fitted per bag size */
  laterPerTask: [number, number][];
  /** [bag size, seconds from a pilot's first core freeing to its next task starting], per bag size */
  rebindLatency: [number, number][];
  source: string;
}

const med = (xs: number[], d: number) => (xs.length ? quantile(Float64Array.from(xs).sort(), 0.5) : d);
const kindOf = (r: Pick<RunRow, "input_bytes_per_task">) => (r.input_bytes_per_task > 0 ? "staged" : "plain");

/**
 * Fitted over the whole data set; with `series`, over that series' runs only (each series ran its
 * own driver and RADICAL-Pilot version), anything it has no data for taken from the whole set.
 */
export function fitOverheads(all: AimesData, series?: string): Fitted {
  if (series === undefined) return fitFrom(all, null, "");
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

/** Per pilot (`run\0pilot`), the starts of the tasks that ran to their end, sorted; and each run's last end. */
function startsOf(tasks: readonly TaskCsvRow[], runOf: Map<string, RunRow>) {
  const starts = new Map<string, number[]>();
  const lastEnd = new Map<string, number>();
  for (const t of tasks) {
    const r = runOf.get(t.run_key);
    if (!r || t.exec_start_s === null || t.exec_end_s === null) continue;
    // failed at launch (~0 s) or cut short by its pilot's end: it held no core for its length
    if (t.exec_end_s - t.exec_start_s < 0.5 * r.task_length_s) continue;
    const key = `${t.run_key}\u0000${t.pilot_uid}`;
    const l = starts.get(key);
    const at = t.exec_end_s - r.task_length_s;
    if (l) l.push(at);
    else starts.set(key, [at]);
    if (t.final_state === "Done")
      lastEnd.set(t.run_key, Math.max(lastEnd.get(t.run_key) ?? -Infinity, t.exec_end_s));
  }
  for (const l of starts.values()) l.sort((a, b) => a - b);
  return { starts, lastEnd };
}

function fitFrom(d: AimesData, g: Fitted | null, label: string): Fitted {
  const base = { ...DEFAULT_OVERHEADS, bandwidthInBps: Infinity, bandwidthOutBps: Infinity, execOverrunS: 0 };
  if (!d.tasks && g) return g;
  if (!d.tasks) {
    // without tasks.csv: the README's medians, and the hand-over rates of reference §2 (5 units/s; 2/s with 1 MiB staged over SFTP)
    return {
      staged: { ...base, perTaskS: 0.5, execOverrunS: 0.4 },
      plain: { ...base, perTaskS: 0.05, execOverrunS: 0.4 },
      byResource: new Map(),
      endS: DEFAULT_END_S,
      laterPerTask: [],
      rebindLatency: [],
      source: "documented defaults (no tasks.csv)",
    };
  }
  const runOf = new Map(d.runs.map((r) => [r.run_key, r]));
  const { starts, lastEnd } = startsOf(d.tasks, runOf);
  const startup: number[] = [];
  const perTask = { staged: [] as number[], plain: [] as number[] };
  const perRes = new Map<string, { startup: number[]; perTask: number[] }>();
  const latency = new Map<number, number[]>();
  const later = new Map<number, number[]>();
  for (const [runKey, pilots] of d.pilotsByRun) {
    const r = runOf.get(runKey);
    if (!r) continue;
    // tasks after each pilot's first fill: the rate at which the run handed out more work
    const rest: number[] = [];
    for (const p of pilots) {
      const s = starts.get(`${runKey}\u0000${p.pilot_uid}`);
      if (!s || p.t_active_s === null) continue;
      const key = `${kindOf(r)}:${p.resource}`;
      const res = perRes.get(key) ?? { startup: [], perTask: [] };
      perRes.set(key, res);
      res.startup.push(s[0]! - p.t_active_s);
      startup.push(s[0]! - p.t_active_s);
      const gen = Math.min(p.cores, s.length);
      if (gen >= 8) {
        const rate = (s[gen - 1]! - s[0]!) / (gen - 1);
        perTask[kindOf(r)].push(rate);
        res.perTask.push(rate);
      }
      // from the first core freeing to the first task started after the first fill
      if (s.length > p.cores)
        latency.set(r.n_tasks, [
          ...(latency.get(r.n_tasks) ?? []),
          Math.max(0, s[p.cores]! - (s[0]! + r.task_length_s)),
        ]);
      pushAll(rest, s.slice(p.cores));
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
    stageOutS: med(stageOut, gp.stageOutS),
  };
  const staged = { ...common, perTaskS: med(perTask.staged, g?.staged.perTaskS ?? 0.5) };
  const plain = { ...common, perTaskS: med(perTask.plain, g?.plain.perTaskS ?? 0.05) };
  const byResource = new Map(g?.byResource);
  for (const [key, x] of perRes) {
    const whole = key.startsWith("staged:") ? staged : plain;
    const before = byResource.get(key);
    byResource.set(key, {
      startupS: med(x.startup, before?.startupS ?? whole.startupS),
      perTaskS: med(x.perTask, before?.perTaskS ?? whole.perTaskS),
    });
  }
  const bySize = (m: Map<number, number[]>, before: [number, number][] = []): [number, number][] => {
    const fitted = new Map([...m].map(([n, xs]) => [n, med(xs, 0)]));
    for (const [n, v] of before) if (!fitted.has(n)) fitted.set(n, v);
    return [...fitted].sort((a, b) => a[0] - b[0]);
  };
  return {
    staged,
    plain,
    byResource,
    endS: med(
      done.map((r) => r.ttc_s - r.t_last_task_done_s!),
      g?.endS ?? DEFAULT_END_S,
    ),
    laterPerTask: bySize(later, g?.laterPerTask),
    rebindLatency: bySize(latency, g?.rebindLatency),
    source: `${label}fitted from tasks.csv: medians over ${startup.length} pilots (${byResource.size} resource/staging pairs), ${done.length} runs`,
  };
}

/** The fitted re-binding cost for a bag of `n` tasks: the nearest fitted bag size (log scale). */
export function laterPerTaskFor(fit: Fitted, n: number, fallback: number): number {
  return nearestSize(fit.laterPerTask, n, fallback);
}

function nearestSize(bySize: readonly [number, number][], n: number, fallback: number): number {
  let best: [number, number] | undefined;
  for (const x of bySize)
    if (!best || Math.abs(Math.log(x[0] / n)) < Math.abs(Math.log(best[0] / n))) best = x;
  return best ? best[1] : fallback;
}

/** The overheads of a pilot on `resource` in a run of this bag size and staging. */
export function overheadsFor(
  fit: Fitted,
  r: Pick<RunRow, "n_tasks" | "input_bytes_per_task">,
  resource: string,
): Overheads {
  const o = r.input_bytes_per_task > 0 ? fit.staged : fit.plain;
  const own = fit.byResource.get(`${kindOf(r)}:${resource}`);
  return {
    ...o,
    ...own,
    laterPerTaskS: laterPerTaskFor(fit, r.n_tasks, o.perTaskS),
    rebindLatencyS: nearestSize(fit.rebindLatency, r.n_tasks, 0),
  };
}
