import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { localRun, type LocalRunResult } from "./local-run";
import type { BenchRow } from "./types";

/**
 * Throughput of the engine as a user runs it (the real loop at the server's tick settings, woken
 * by the agent; scripts/bench/local-run.ts), against the fork limit and the peers, all measured
 * in this run on this machine:
 * - `xargs -P <cores> -n 1 true`: one fork per task, nothing else (the ceiling);
 * - GNU parallel, and Dask's LocalCluster running `true` in a subprocess per task (the peers),
 *   each skipped with the reason when it is not installed;
 * - 200 tasks of 1 s: makespan against the ideal;
 * - cost growth at 1,000 / 10,000 / 100,000 tasks (100,000 only with BENCH_FULL=1: ~3 minutes).
 */
const CORES = os.cpus().length;

function timed(cmd: string, args: string[], input?: string): number {
  const t = performance.now();
  execFileSync(cmd, args, { input, stdio: ["pipe", "ignore", "inherit"] });
  return (performance.now() - t) / 1000;
}

const seq = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1)).join("\n") + "\n";
const xargs = (n: number) => timed("xargs", ["-P", String(CORES), "-n", "1", "true"], seq(n));

/** A peer's row: its throughput on the same tasks, as a share of EManager's in this run. */
function peerRow(
  figure: string,
  n: number,
  seconds: number,
  emanager: LocalRunResult,
  share: string,
): BenchRow {
  return {
    figure,
    value: n / seconds,
    unit: "tasks/s",
    baseline: {
      label: "EManager, same tasks, same run",
      value: emanager.tasks / emanager.seconds,
      unit: "tasks/s",
    },
    ratio: emanager.seconds / seconds,
    ratioNote: `${share}'s throughput as a share of EManager's`,
  };
}

function parallelRow(n: number, emanager: LocalRunResult): BenchRow | string {
  if (spawnSync("parallel", ["--version"]).status !== 0)
    return "GNU parallel: skipped, not installed (apt-get install parallel)";
  const s = timed("parallel", ["-j", String(CORES), "true"], seq(n));
  return peerRow(
    `GNU parallel -j ${CORES}: ${n.toLocaleString("en")} × true`,
    n,
    s,
    emanager,
    "GNU parallel",
  );
}

function daskRow(n: number, emanager: LocalRunResult): BenchRow | string {
  const py = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  if (spawnSync(py, ["-c", "import distributed"]).status !== 0)
    return "Dask: skipped, python3-distributed not installed (apt-get install python3-distributed)";
  const out = execFileSync(
    py,
    [path.join(import.meta.dirname, "dask-baseline.py"), String(n), String(CORES)],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const s = Number(out.trim().split("\n").pop());
  const what = `Dask LocalCluster(${CORES} workers): ${n.toLocaleString("en")} × subprocess true, start-up included`;
  return peerRow(what, n, s, emanager, "Dask");
}

function costRow(r: LocalRunResult): BenchRow[] {
  const n = r.tasks.toLocaleString("en");
  return [
    {
      figure: `cost at ${n} no-op tasks: run time (first tick → run DONE)`,
      value: r.seconds,
      unit: "s",
      baseline: { label: "per task", value: (r.seconds / r.tasks) * 1000, unit: "ms" },
    },
    {
      figure: `cost at ${n} no-op tasks: engine CPU per task`,
      value: (r.cpuSeconds / r.tasks) * 1000,
      unit: "ms",
      baseline: { label: "engine CPU in all", value: r.cpuSeconds, unit: "s" },
    },
    {
      figure: `cost at ${n} no-op tasks: database bytes per task`,
      value: r.dbBytes / r.tasks,
      unit: "B",
      baseline: { label: "peak RSS of the engine's process", value: r.peakRss / 2 ** 20, unit: "MiB" },
    },
  ];
}

export async function bench(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_TASKS ?? 10_000);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const x1 = xargs(n);
  const main = await localRun({ tasks: n, cores: CORES });
  const x2 = xargs(n);
  const x = (x1 + x2) / 2;
  rows.push({
    figure: `local pilot: ${n.toLocaleString("en")} no-op tasks on ${CORES} cores, end to end (real loop, run DONE)`,
    value: main.tasks / main.seconds,
    unit: "tasks/s",
    baseline: { label: `xargs -P ${CORES} -n 1 true, same run (mean of 2)`, value: n / x, unit: "tasks/s" },
    ratio: x / main.seconds,
    ratioNote: "EManager's throughput as a share of xargs",
    budget: "≥ 0.5",
  });
  for (const r of [daskRow(n, main), parallelRow(n, main)])
    if (typeof r === "string") notes.push(r);
    else rows.push(r);
  const long = await localRun({ tasks: 200, cores: CORES, length: 1 });
  const ideal = (200 * 1) / CORES;
  rows.push({
    figure: `local pilot: 200 tasks of 1 s on ${CORES} cores, makespan (first start → last end)`,
    value: long.makespan,
    unit: "s",
    baseline: { label: "ideal makespan", value: ideal, unit: "s" },
    ratio: long.makespan / ideal,
    budget: "≤ 1.05",
  });
  const lat = [main.activeToFirst];
  for (let i = 0; i < 4; i++) lat.push((await localRun({ tasks: 4, cores: CORES })).activeToFirst);
  lat.sort((a, b) => a - b);
  rows.push({
    figure: "pilot ACTIVE → first task executing (median of 5 pilots)",
    value: lat[2]!,
    unit: "s",
    baseline: { label: "the original's runs", value: 11, unit: "s" },
    ratio: lat[2]! / 11,
    budget: "< 2 s",
  });
  const sizes = process.env.BENCH_FULL ? [1_000, 10_000, 100_000] : [1_000, 10_000];
  for (const size of sizes)
    rows.push(...costRow(size === n ? main : await localRun({ tasks: size, cores: CORES })));
  for (const note of notes) process.stderr.write(`[bench] ${note}\n`);
  return rows;
}
