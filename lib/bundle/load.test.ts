import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importBundleConf, loadResourcesFile } from "./load";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/bundles");
const now = new Date("2026-11-24T12:00:00Z");

describe("resource files", () => {
  it("imports the SC2014 bundle conf: five machines, comments and db_dir skipped", () => {
    const r = loadResourcesFile(readFileSync(path.join(FIX, "emanager_bundle_demo_SC2014.conf"), "utf8"), {
      now,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(
      r.snapshots.map((s) => [s.label, s.batch, s.queues[0]?.name, s.queues[0]?.maxCoresPerJob]),
    ).toEqual([
      ["xsede.stampede", "slurm", "normal", 4096],
      ["xsede.trestles", "pbs", "normal", 1024],
      ["xsede.gordon", "pbs", "normal", 1024],
      ["xsede.blacklight", "pbs", "batch", 1024],
      ["nersc.hopper", "pbs", "regular", 98304],
    ]);
    expect(r.snapshots[0]?.resourceId).toBe("stampede_tacc_xsede_org");
  });
  it("reports duplicates, unknown fields and bad lines in the devel copy", () => {
    const rep = importBundleConf(
      readFileSync(path.join(FIX, "emanager-devel_bundle_demo_SC2014.conf"), "utf8"),
    );
    expect(rep.imported.length).toBe(5);
    expect(rep.skipped.some((s) => /listed twice/.test(s.why))).toBe(true);
    const bad = importBundleConf(
      "cluster_type=slurm hostname=x.org\ncluster_type=condor hostname=y username=u\ncluster_type=pbs hostname=z username=u port=22\n",
    );
    expect(bad.skipped.map((s) => [s.line, s.why])).toEqual([
      [1, "missing username"],
      [2, "cluster_type condor is not one of slurm, pbs, lsf (moab)"],
      [3, "ignored unknown field(s): port"],
    ]);
  });
  it("refuses an unknown host with its line", () => {
    const r = loadResourcesFile("cluster_type=slurm hostname=mystery.example.org username=me\n", { now });
    expect(!r.ok && r.errors[0]).toEqual({
      line: 1,
      message: expect.stringMatching(/mystery.example.org: EManager knows nothing/),
    });
  });
  it("reads the static snapshot layout with workload and bandwidth", () => {
    const r = loadResourcesFile(readFileSync(path.join(FIX, "derived_sc2014_bundle_snapshot.json"), "utf8"), {
      now,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const g = r.snapshots.find((s) => s.resourceId === "gordon_sdsc_xsede_org")!;
    const normal = g.queues.find((q) => q.name === "normal")!;
    expect([normal.jobsQueued, normal.jobsRunning, normal.coresFree, g.bandwidthInMBps]).toEqual([
      1753, 337, 512, 17.25,
    ]);
    expect(r.snapshots).toHaveLength(4);
  });
  it("round-trips EManager's own snapshot JSON and rejects a malformed one", () => {
    const first = loadResourcesFile(
      readFileSync(path.join(FIX, "emanager_bundle_demo_SC2014.conf"), "utf8"),
      { now },
    );
    if (!first.ok) throw new Error("load");
    const again = loadResourcesFile(JSON.stringify(first.snapshots), { now });
    expect(again.ok && again.snapshots).toEqual(first.snapshots);
    const bad = loadResourcesFile('[{"label": 3}]', { now });
    expect(bad.ok).toBe(false);
  });
});
