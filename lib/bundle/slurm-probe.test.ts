import { describe, expect, it } from "vitest";
import { parseSlurmProbe, slurmDuration } from "./slurm-probe";

describe("SLURM probe", () => {
  it("reads SLURM durations", () => {
    expect([
      slurmDuration("infinite"),
      slurmDuration("30"),
      slurmDuration("1:00:00"),
      slurmDuration("2-00:00:00"),
      slurmDuration("10:30"),
      slurmDuration("1-12"),
    ]).toEqual([null, 1800, 3600, 172800, 630, 129600]);
  });
  it("turns sinfo and squeue into one snapshot: limits, free cores, queue lengths, default and down partitions", () => {
    const out =
      "stampede*|up|1:00:00|1|3/13/0/16\ngordon|down|1:00:00|1|3/13/0/16\nblacklight|inact|1:00:00|1|3/13/0/16\n--squeue--\nstampede|RUNNING\ngordon|PENDING\ngordon|PENDING\n";
    const s = parseSlurmProbe(out, {
      resourceId: "r",
      label: "loopback",
      host: "127.0.0.1",
      now: new Date("2026-11-24T00:00:00Z"),
    });
    expect(
      s.queues.map((q) => [
        q.name,
        q.isDefault,
        q.enabled,
        q.maxWalltimeSeconds,
        q.coresFree,
        q.jobsQueued,
        q.jobsRunning,
      ]),
    ).toEqual([
      ["stampede", true, true, 3600, 13, 0, 1],
      ["gordon", false, false, 3600, 13, 2, 0],
      ["blacklight", false, false, 3600, 13, 0, 0],
    ]);
    expect([s.nodes, s.coresPerNode, s.batch]).toEqual([1, 16, "slurm"]);
  });
});
