import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseSkeleton } from "./load";
import { externalNeeds, skeletonProblems } from "./problems";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
const sc = readFileSync(path.join(FIX, "emanager_skeleton_demo_SC2014.conf"), "utf8");

describe("skeletonProblems (the editor's check as you type)", () => {
  it("lists errors and warnings together, each at its line and column, in file order", () => {
    const text = sc
      .replace("uniform 10", "uniform")
      .replace("Read_Buffer = 65536", "Read_Buffer = 6553a")
      .replace("Num_Tasks = 1\n", "Num_Tasks = 1x\n");
    const ps = skeletonProblems(text);
    expect(ps.map((p) => [p.severity, p.line])).toEqual([
      ["error", 6],
      ["warning", 8],
      ["warning", 19],
    ]);
    expect(ps[1]).toMatchObject({ column: 23 });
  });

  it("a warning of the expansion (Num_Tasks = 8x) comes with its line, beside the expansion's error", () => {
    const ps = skeletonProblems(sc.replace("Num_Tasks = 20", "Num_Tasks = 8x"));
    expect(ps.find((p) => p.severity === "warning")).toMatchObject({ line: 5, column: 18 });
    expect(ps.find((p) => p.severity === "error")?.line).toBe(25);
  });

  it("an external mapping without its output: one problem at the mapping, saying what is needed and where to give it", () => {
    const ps = skeletonProblems(readFileSync(path.join(FIX, "Skeleton-report_lst-exmapper.input"), "utf8"));
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ severity: "error", line: 27 });
    expect(ps[0]!.message).toMatch(
      /does not run: run it yourself and give its output .*: upload it with the editor .* or give it to the command line with --external Stage_2=OUTPUT\.txt/,
    );
  });

  it("a valid skeleton has none", () => {
    expect(skeletonProblems(sc)).toEqual([]);
  });
});

describe("externalNeeds", () => {
  it("names each stage whose script output is missing, and none once it is given by stage or by script", () => {
    const r = parseSkeleton(readFileSync(path.join(FIX, "Skeleton-report_lst-exmapper.input"), "utf8"));
    if (!r.ok) throw new Error("fixture does not parse");
    expect(externalNeeds(r.skeleton)).toEqual([
      { stage: "Stage_2", script: "sample-input/mapping.sh", line: 27, column: 26 },
    ]);
    expect(externalNeeds(r.skeleton, { Stage_2: "x" })).toEqual([]);
    expect(externalNeeds(r.skeleton, { "sample-input/mapping.sh": "x" })).toEqual([]);
  });
});
