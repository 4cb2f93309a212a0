/**
 * `npm run validate:aimes [-- DIR] [--no-write]`: the simulator against the measured AIMES runs
 * (issue 15, validation items 1–3). Prints the tables and writes them to docs/validation.md
 * (the text: scripts/validate-aimes-report.ts). Exit code 1 when item 1 (≥ 80 % of runs within
 * ±15 %) or item 2 (every simulated median inside the measured range) does not hold.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseAimesTexts } from "../lib/sim/aimes-data";
import { fitOverheads } from "../lib/sim/aimes-fit";
import { replayAll } from "../lib/sim/replay";
import { distributionRow, strategyRow, type DistributionRow, type StrategyRow } from "../lib/sim/study";
import { holds, report } from "./validate-aimes-report";

/** The rows of reference §3.4 that are in the public data (the _v3 series are held back). */
const SERIES = ["SWIFT_3", "SWIFT_3_v2", "SWIFT_2", "SWIFT_2_v2", "SWIFT_1", "SWIFT_1_v2"];
const SCALES = [8, 32, 256, 2048];
const RUNS = 1000;
const SEED = 1;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = path.resolve(
    args.find((a) => !a.startsWith("--")) ?? path.join(process.cwd(), "../shared/data/aimes-swift"),
  );
  const write = !args.includes("--no-write");
  const read = (f: string) => readFile(path.join(dir, f), "utf8");
  const parsed = parseAimesTexts({
    runs: await read("runs.csv"),
    pilots: await read("pilots.csv"),
    tasks: await read("tasks.csv").catch(() => null),
  });
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  const d = parsed.data;
  const t0 = Date.now();

  const replay = replayAll(d);
  // items 2 and 3: overheads fitted per series (each ran its own driver and RADICAL-Pilot version)
  const fits = new Map(SERIES.map((s) => [s, fitOverheads(d, s)]));
  const dist = SERIES.flatMap((s) =>
    SCALES.map((n) => distributionRow(d, fits.get(s)!, s, n, RUNS, SEED)),
  ).filter((x): x is DistributionRow => x !== null);
  const strat = SERIES.flatMap((s) =>
    SCALES.map((n) => strategyRow(d, fits.get(s)!, s, n, RUNS, SEED)),
  ).filter((x): x is StrategyRow => x !== null);
  const figures = { runs: RUNS, seed: SEED, replay, dist, strat };
  const text = report(figures);
  process.stdout.write(text + `\n(computed in ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  if (write) await writeFile(path.join(process.cwd(), "docs/validation.md"), text);
  const ok = holds(figures);
  if (!ok.replay || !ok.distribution) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
