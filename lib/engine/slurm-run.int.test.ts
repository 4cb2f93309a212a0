import { statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readEvents } from "../db/events";
import {
  clusterTestBed,
  clusterUser,
  demoSkeleton,
  driveUntilFinal,
  startRun,
} from "../test-support/engine-run";

// The SC2014 demo on the real loopback SLURM over the real sshd: stampede and trestles run it,
// blacklight's submission is rejected by sbatch, gordon's job waits in a DOWN partition forever.
const SECRET = "x".repeat(43);
const bed = clusterTestBed("em-slurm-run-", SECRET);

describe("a run on the loopback SLURM cluster", () => {
  it("runs the SC2014 demo on two partitions and survives a rejected and a never-starting pilot", async () => {
    const { user, resource } = await clusterUser(bed.db(), bed.cluster(), "slurm@x.org", SECRET);
    const res = await Promise.all(
      ["stampede", "trestles", "blacklight", "gordon"].map((label) =>
        resource(label, "slurm", { defaultQueue: label }),
      ),
    );
    const { run, workload } = await startRun(
      bed.db(),
      user.id,
      "slurm demo",
      demoSkeleton("uniform 1", "uniform 2"),
      res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 3 })),
    );
    const final = await driveUntilFinal(bed.db(), run.id, 150_000);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilots = new Map(
      (await bed.db().pilot.findMany({ where: { runId: run.id } })).map((p) => [p.label, p]),
    );
    expect(pilots.get("blacklight")?.state).toBe("FAILED");
    expect(pilots.get("blacklight")?.reason).toMatch(
      /Required partition not available \(inactive or drain\)/,
    );
    expect(pilots.get("gordon")?.state).toBe("CANCELED");
    expect(pilots.get("gordon")?.activeAt).toBeNull();
    expect(pilots.get("stampede")?.activeAt).not.toBeNull();
    const events = await readEvents(bed.db(), run.id);
    const ran = new Set(events.filter((e) => e.to === "AGENT_EXECUTING").map((e) => e.data?.pilotId));
    expect(ran.has(pilots.get("blacklight")!.id) || ran.has(pilots.get("gordon")!.id)).toBe(false);
    expect(events.filter((e) => e.to === "DONE" && e.entity === "task")).toHaveLength(21);
  }, 200_000);
});
