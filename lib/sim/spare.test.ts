import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAimesTexts } from "./aimes-data";
import { fitOverheads } from "./aimes-fit";
import { strategyRow } from "./study";

// Issue 15, validation item 3: the adaptive strategy's spare pilot (lib/planner/adaptive.ts), checked with the
// simulator on the measured AIMES waits. Before it, adaptive planned aimes's pilots and won 0 of 24 rows; in
// SWIFT_2_v2 2,048 (stampede never started) its one surviving pilot ran out of walltime in 100 % of runs.
const DIR = path.resolve(process.cwd(), "../shared/data/aimes-swift");
const read = (f: string) => readFileSync(path.join(DIR, f), "utf8");
const parsed = parseAimesTexts({
  runs: read("runs.csv"),
  pilots: read("pilots.csv"),
  tasks: read("tasks.csv"),
});
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const d = parsed.data;
const row = (series: string, n: number) => strategyRow(d, fitOverheads(d, series), series, n, 200, 1)!;
const p90 = (x: ReturnType<typeof row>["aimes"]) => ("error" in x ? NaN : x.p90!);

describe("adaptive with a spare pilot against aimes, on the measured waits", () => {
  it("finishes SWIFT_2_v2 2,048 where a pilot never starts, with fewer core-hours than aimes", () => {
    const r = row("SWIFT_2_v2", 2048);
    if ("error" in r.adaptive || "error" in r.aimes) throw new Error("no plan");
    expect(r.adaptive.failShare).toBe(0);
    expect(r.adaptiveLoses).toBeNull();
    expect(r.adaptive.coreHours.median).toBeLessThan(r.aimes.coreHours.median);
  });
  it("cuts the p90 of SWIFT_3 8, whose one queue sometimes held a pilot for hours", () => {
    const r = row("SWIFT_3", 8);
    expect(p90(r.adaptive)).toBeLessThan(p90(r.aimes) / 5);
    expect(r.adaptiveLoses).toBeNull();
  });
});
