import path from "node:path";
import { parseArgs } from "node:util";
import { loadResourcesFile } from "../../lib/bundle/load";
import { engineSettings } from "../../lib/engine/settings";
import type { ResourceSnapshot } from "../../lib/model/resource";
import type { Workload } from "../../lib/model/workload";
import { planWorkload } from "../../lib/planner";
import { loadSkeletonText } from "../../lib/skeleton";
import { parseAimesTexts } from "../../lib/sim/aimes-data";
import { ZQueueWaitsFile, type QueueWaitsFile } from "../../lib/sim/from-plan";
import { predictPlan, type Prediction } from "../../lib/sim/predict";
import { replayAll, TOLERANCE, type ReplayRow } from "../../lib/sim/replay";
import type { CliIO } from "../io";

export const USAGE =
  "usage: emanager simulate SKELETON --resources FILE [--strategy aimes|adaptive|both] [--runs N] [--queue-waits FILE] [--seed N] [--format json|text]\n" +
  "       emanager simulate --replay DIR [--format json|text]   (DIR holds runs.csv, pilots.csv and optionally tasks.csv)\n";

const n0 = (x: number) => Math.round(x).toLocaleString("en");

/** `emanager simulate`: Monte-Carlo TTC of each strategy's plan, or a replay of measured runs. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        resources: { type: "string" },
        strategy: { type: "string", default: "both" },
        runs: { type: "string", default: "1000" },
        "queue-waits": { type: "string" },
        seed: { type: "string", default: "0" },
        format: { type: "string", default: "text" },
        replay: { type: "string" },
      },
    }));
  } catch (e: unknown) {
    return usage(io, e instanceof Error ? e.message : String(e));
  }
  const format = values.format;
  if (format !== "json" && format !== "text")
    return usage(io, `--format must be json or text (got ${String(format)})`);
  if (typeof values.replay === "string") return replay(values.replay, format, io);
  const [file] = positionals;
  if (!file || typeof values.resources !== "string") return usage(io);
  const strategies =
    values.strategy === "both"
      ? (["aimes", "adaptive"] as const)
      : values.strategy === "aimes" || values.strategy === "adaptive"
        ? ([values.strategy] as const)
        : null;
  if (!strategies)
    return usage(io, `--strategy must be aimes, adaptive or both (got ${String(values.strategy)})`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100_000)
    return usage(io, "--runs must be a whole number from 1 to 100000");
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) return usage(io, "--seed must be a whole number");

  let texts: string[];
  const waitsFile = values["queue-waits"];
  try {
    texts = await Promise.all([
      io.readText(file),
      io.readText(values.resources),
      ...(typeof waitsFile === "string" ? [io.readText(waitsFile)] : []),
    ]);
  } catch (e: unknown) {
    io.err(`cannot read: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const sk = loadSkeletonText(texts[0]!, { fileName: file, seed });
  if (!sk.ok) {
    for (const e of sk.errors) io.err(`${file}:${e.line}:${e.column}: ${e.message}\n`);
    return 2;
  }
  const now = new Date();
  const rs = loadResourcesFile(texts[1]!, { now });
  if (!rs.ok) {
    for (const e of rs.errors) io.err(`${values.resources}:${e.line}: ${e.message}\n`);
    return 2;
  }
  for (const s of rs.report?.skipped ?? []) io.err(`${values.resources}:${s.line}: skipped: ${s.why}\n`);
  let queueWaits: QueueWaitsFile | undefined;
  if (texts[2] !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(texts[2]);
    } catch (e: unknown) {
      io.err(`${String(waitsFile)}: not valid JSON: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    const p = ZQueueWaitsFile.safeParse(raw);
    if (!p.success) {
      for (const i of p.error.issues) io.err(`${String(waitsFile)}: ${i.path.join(".")}: ${i.message}\n`);
      return 2;
    }
    queueWaits = p.data;
  }
  const results = strategies.map((s) =>
    simulateStrategy(s, sk.workload, rs.snapshots, { now, runs, seed, queueWaits }),
  );
  if (format === "json") io.out(JSON.stringify({ runs, seed, strategies: results }, null, 2) + "\n");
  else for (const r of results) io.out(textOf(r, runs));
  return results.some((r) => "error" in r) && results.every((r) => "error" in r) ? 1 : 0;
}

type StrategyResult =
  { strategy: string; error: string } | ({ strategy: string; predictedTtcSeconds: number } & Prediction);

function simulateStrategy(
  strategy: "aimes" | "adaptive",
  w: Workload,
  resources: ResourceSnapshot[],
  o: { now: Date; runs: number; seed: number; queueWaits?: QueueWaitsFile },
): StrategyResult {
  const p = planWorkload(w, resources, { strategy, binding: "late", now: o.now });
  if (!p.ok) return { strategy, error: p.errors.map((e) => e.message).join("; ") };
  // the prefetch share and tick of the engine of this install, read as the engine reads them
  const engine = engineSettings(process.env);
  const r = predictPlan(w, p.plan, resources, {
    queueWaits: o.queueWaits,
    runs: o.runs,
    seed: o.seed,
    ...(Number.isFinite(engine.prefetchShare) ? { prefetchShare: engine.prefetchShare } : {}),
    ...(Number.isFinite(engine.tickS) ? { tickS: engine.tickS } : {}),
  });
  return "error" in r
    ? { strategy, error: r.error }
    : { strategy, predictedTtcSeconds: p.plan.predictedTtcSeconds, ...r };
}

function textOf(r: StrategyResult, runs: number): string {
  if ("error" in r) return `${r.strategy}: no simulation: ${r.error}\n`;
  const s = r.summary;
  const ttc =
    s.median === null
      ? "no simulated run finished"
      : `TTC median ${n0(s.median)} s (p10 ${n0(s.p10!)} s, p90 ${n0(s.p90!)} s)`;
  const lines = [
    `${r.strategy}: ${ttc}; fails in ${(s.failShare * 100).toFixed(1)} % of ${runs.toLocaleString("en")} simulated runs; core-hours median ${s.coreHours.median.toFixed(1)}`,
  ];
  for (const p of r.pilots)
    lines.push(
      `  pilot ${p.resource}: ${p.cores} cores, walltime ${n0(p.walltimeMinutes)} min; queue wait ${p.wait}`,
    );
  if (s.median !== null)
    lines.push(
      `  median terms: queue wait ${n0(s.terms.queueWait)} s, start-up ${n0(s.terms.startup)} s, execution ${n0(s.terms.execution)} s, staging ${n0(s.terms.staging)} s, overhead ${n0(s.terms.overhead)} s`,
    );
  for (const f of s.failures) lines.push(`  failed ${f.count}×: ${f.reason}`);
  lines.push(`  the planner's own prediction: ${n0(r.predictedTtcSeconds)} s`);
  return lines.join("\n") + "\n";
}

async function replay(dir: string, format: "json" | "text", io: CliIO): Promise<number> {
  let runs: string;
  let pilots: string;
  try {
    [runs, pilots] = await Promise.all([
      io.readText(path.join(dir, "runs.csv")),
      io.readText(path.join(dir, "pilots.csv")),
    ]);
  } catch (e: unknown) {
    io.err(
      `cannot read ${dir}: ${e instanceof Error ? e.message : String(e)} (it must hold runs.csv and pilots.csv)\n`,
    );
    return 2;
  }
  // tasks.csv is optional: without it the overheads are the documented defaults
  const tasks = await io.readText(path.join(dir, "tasks.csv")).catch(() => null);
  const parsed = parseAimesTexts({ runs, pilots, tasks });
  if (!parsed.ok) {
    for (const e of parsed.errors) io.err(`${path.join(dir, e)}\n`);
    return 2;
  }
  const r = replayAll(parsed.data);
  if (format === "json") {
    io.out(
      JSON.stringify(
        { tolerance: TOLERANCE, within: r.within, counted: r.counted, overheads: r.fit, runs: r.rows },
        null,
        2,
      ) + "\n",
    );
    return 0;
  }
  io.out(replayText(r.rows, r.fit.source));
  io.out(`replay: ${r.within} of ${r.counted} runs within ±${Math.round(TOLERANCE * 100)} %\n`);
  return 0;
}

export function replayText(rows: readonly ReplayRow[], source: string): string {
  const w = Math.max(3, ...rows.map((x) => x.runKey.length));
  const lines = [
    `${"run".padEnd(w)}  ${"tasks".padStart(5)}  ${"measured s".padStart(10)}  ${"simulated s".padStart(11)}  ${"error".padStart(8)}  note`,
  ];
  for (const x of rows) {
    const sim = x.simulated === null ? "—" : n0(x.simulated);
    const err = x.error === null ? "—" : `${x.error >= 0 ? "+" : ""}${(x.error * 100).toFixed(1)} %`;
    const note = x.skipped ? `skipped: ${x.skipped}` : x.within ? "" : `outside: ${x.why ?? ""}`;
    lines.push(
      `${x.runKey.padEnd(w)}  ${String(x.nTasks).padStart(5)}  ${n0(x.measured).padStart(10)}  ${sim.padStart(11)}  ${err.padStart(8)}  ${note}`.trimEnd(),
    );
  }
  lines.push(`overheads: ${source}`);
  return lines.join("\n") + "\n";
}

function usage(io: CliIO, why?: string): number {
  io.err(`${why ? why + "\n" : ""}${USAGE}`);
  return 2;
}
