/**
 * `npm run bench`: every benchmark, one table (figure, value, baseline, ratio), with the machine.
 * Each module measures its own baseline in the same process and run.
 */
import type { Bench, BenchRow } from "./types";
import { machine } from "./util";

const MODULES: [string, () => Promise<{ bench: Bench }>][] = [
  ["skeleton", () => import("./skeleton")],
  ["planner", () => import("./planner")],
  ["binding", () => import("./binding")],
  ["statistics", () => import("./stats")],
  ["simulation", () => import("./simulate")],
  ["agent", () => import("./agent")],
  ["throughput", () => import("./throughput")],
  ["slurm", () => import("./slurm-throughput")],
  ["database", () => import("./database")],
  ["dashboard", () => import("./dashboard")],
  ["hostile", () => import("./hostile-latency")],
];

const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString("en") : v.toFixed(v >= 10 ? 1 : 2));

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  for (const [name, load] of MODULES) {
    if (only.length && !only.includes(name)) continue;
    const t0 = Date.now();
    process.stderr.write(`[bench] ${name}…\n`);
    try {
      rows.push(...(await (await load()).bench()));
    } catch (e: unknown) {
      // one broken benchmark must not hide the others' figures
      failed.push(`${name}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    process.stderr.write(`[bench] ${name} took ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const lines = ["| figure | value | baseline (same run) | ratio | budget |", "|---|---|---|---|---|"];
  for (const r of rows) {
    lines.push(
      `| ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.baseline ? `${r.baseline.label}: ${fmt(r.baseline.value)} ${r.baseline.unit}` : ""} | ${r.ratio !== undefined ? `${r.ratio.toFixed(r.ratio < 0.1 ? 3 : 2)}${r.ratioNote ? ` (${r.ratioNote})` : ""}` : ""} | ${r.budget ?? ""} |`,
    );
  }
  console.log(`\nMachine: ${machine()}; ${new Date().toISOString().slice(0, 10)}\n`);
  console.log(lines.join("\n"));
  if (failed.length) {
    console.log(`\nFailed: ${failed.join("; ")}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
