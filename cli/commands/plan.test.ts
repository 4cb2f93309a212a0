import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../io";
import { main } from "../main";

const SK = path.resolve(process.cwd(), "../shared/fixtures/skeletons/emanager_skeleton_demo_SC2014.conf");
const BUNDLE = path.resolve(process.cwd(), "../shared/fixtures/bundles/emanager_bundle_demo_SC2014.conf");
const SNAP = path.resolve(process.cwd(), "../shared/fixtures/bundles/derived_sc2014_bundle_snapshot.json");

describe("emanager plan", () => {
  it("reproduces the SC2014 plan from the original bundle conf: 5 pilots × 5 cores × 15.8833 min", () => {
    const out = execFileSync(
      "npx",
      [
        "--no-install",
        "emanager",
        "plan",
        SK,
        "--resources",
        BUNDLE,
        "--strategy",
        "aimes",
        "--format",
        "json",
      ],
      { encoding: "utf8" },
    );
    const plan = JSON.parse(out) as {
      pilots: { resource: string; cores: number; walltimeMinutes: number }[];
      binding: string;
      scheduler: string;
      trail: { label: string }[];
    };
    expect(plan.pilots).toHaveLength(5);
    for (const p of plan.pilots) {
      expect(p.cores).toBe(5);
      expect(p.walltimeMinutes).toBeCloseTo(15.883333, 5);
    }
    expect([plan.binding, plan.scheduler]).toEqual(["late", "backfilling"]);
    expect(plan.trail.map((t) => t.label)).toEqual(
      expect.arrayContaining(["G01", "B01", "B02", "E01", "E02", "E03", "D01", "D02", "D03", "D04", "D05"]),
    );
  });
  it("plans with the adaptive strategy on the static snapshot and prints a readable report", async () => {
    const io = memoryIO();
    expect(await main(["plan", SK, "--resources", SNAP, "--strategy", "adaptive"], io)).toBe(0);
    expect(io.stdout).toMatch(/Execution strategy: adaptive/);
    expect(io.stdout).toMatch(/Predicted time to completion: \d+ s/);
  });
  it("exits 2 with the reason when no plan is possible or the input is wrong", async () => {
    const io = memoryIO({
      "/tmp/one-tiny.json": JSON.stringify([
        {
          resourceId: "t",
          label: "tiny",
          batch: "slurm",
          host: "t",
          takenAt: new Date().toISOString(),
          source: "probe",
          nodes: 1,
          coresPerNode: 1,
          queues: [
            {
              name: "q",
              isDefault: true,
              enabled: true,
              maxWalltimeSeconds: 5,
              maxCoresPerJob: 1,
              maxQueuedJobs: null,
              nodesTotal: 1,
              nodesFree: 1,
              coresTotal: 1,
              coresFree: 1,
              jobsQueued: 0,
              jobsRunning: 0,
            },
          ],
        },
      ]),
    });
    expect(await main(["plan", SK, "--resources", "/tmp/one-tiny.json"], io)).toBe(2);
    expect(io.stderr).toMatch(
      /no plan: no selected resource can run this workload: tiny\[q\]: its walltime limit 5 s/,
    );
    const bad = memoryIO();
    expect(await main(["plan", SK, "--resources", BUNDLE, "--strategy", "fastest"], bad)).toBe(2);
    expect(bad.stderr).toMatch(/--strategy must be aimes or adaptive/);
  });
});
