import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../io";
import { main } from "../main";

// Issue 15: Task_Mode = flops lengths are FLOP counts; `emanager plan` refuses them without a rate and converts them with one.
const SK = path.resolve(
  process.cwd(),
  "../shared/fixtures/skeletons/AIMES-Experience_run-64_late_uniform_3_skeleton.conf",
);
const SNAP = path.resolve(process.cwd(), "../shared/fixtures/bundles/derived_sc2014_bundle_snapshot.json");

describe("emanager plan --flops-rate", () => {
  it("refuses a flops skeleton without a rate, saying what to give", async () => {
    const io = memoryIO();
    expect(await main(["plan", SK, "--resources", SNAP, "--strategy", "aimes"], io)).toBe(2);
    expect(io.stderr).toMatch(
      /no plan: 64 task\(s\) give their length in FLOPs \(Task_Mode = flops, up to 1\.72e\+12\), and EManager does not know how fast .+ compute: give a rate in FLOP per core-second/,
    );
  });
  it("converts with one rate for every resource and shows it in the trail", async () => {
    const io = memoryIO();
    expect(
      await main(
        ["plan", SK, "--resources", SNAP, "--strategy", "aimes", "--flops-rate", "1e9", "--format", "json"],
        io,
      ),
    ).toBe(0);
    const plan = JSON.parse(io.stdout) as {
      trail: { label: string; value: string | number; inputs?: Record<string, number> }[];
    };
    expect(plan.trail.find((t) => t.label === "F01")?.inputs?.["its seconds"]).toBe(1715.75);
  });
});
