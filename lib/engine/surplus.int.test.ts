import { spawnSync } from "node:child_process";
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

// Over-provisioning on the real loopback SLURM: three pilots planned, one of them surplus; gordon's
// partition is DOWN so its pilot never starts, and once stampede and trestles are active it is
// cancelled as surplus (on SLURM too) instead of waiting in its queue until the run ends.
const SECRET = "x".repeat(43);
const bed = clusterTestBed("em-surplus-", SECRET);

describe("over-provisioned runs", () => {
  it("cancel the pilots still queued once enough have become active", async () => {
    const { user, resource } = await clusterUser(bed.db(), bed.cluster(), "surplus@x.org", SECRET);
    const res = await Promise.all(
      ["gordon", "stampede", "trestles"].map((label) => resource(label, "slurm", { defaultQueue: label })),
    );
    const { run, workload } = await startRun(
      bed.db(),
      user.id,
      "surplus demo",
      demoSkeleton("uniform 1", "uniform 2"),
      res.map((r, i) => ({
        resourceId: r.id,
        resource: r.label,
        kind: "slurm",
        queue: r.label,
        cores: 3,
        surplus: i === 2,
      })),
    );
    const final = await driveUntilFinal(bed.db(), run.id, 150_000);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const t of workload.tasks)
      for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilots = new Map(
      (await bed.db().pilot.findMany({ where: { runId: run.id } })).map((p) => [p.label, p]),
    );
    expect(pilots.get("gordon")?.state).toBe("CANCELED");
    expect(pilots.get("gordon")?.reason).toBe(
      "surplus: 2 of 3 planned pilots became active, the 2 the workload needs",
    );
    expect(pilots.get("gordon")?.activeAt).toBeNull();
    // cancelled on SLURM as well: gordon's job no longer waits in its queue
    const sq = spawnSync("squeue", ["-h", "-j", pilots.get("gordon")!.jobId!, "-o", "%T"], {
      encoding: "utf8",
    });
    expect(sq.stdout.trim()).not.toBe("PENDING");
    const events = await readEvents(bed.db(), run.id);
    const cancelledAt = events.find(
      (e) => e.entity === "pilot" && e.entityId === pilots.get("gordon")!.id && e.to === "CANCELED",
    )!.at;
    const lastDone = Math.max(
      ...events.filter((e) => e.entity === "task" && e.to === "DONE").map((e) => e.at),
    );
    expect(cancelledAt).toBeLessThan(lastDone);
  }, 200_000);
});
