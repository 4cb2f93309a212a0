import { describe, expect, it } from "vitest";
import { LSF_PROBE } from "./lsf-probe";
import { PBS_PROBE } from "./pbs-probe";
import { FORK_PROBE, parseForkProbe, probeFor } from "./probes";
import { SLURM_PROBE } from "./slurm-probe";

describe("the probe of each batch kind", () => {
  it("picks the command and parser by kind; local and unknown kinds have none", () => {
    expect(["slurm", "pbs", "lsf", "fork"].map((k) => probeFor(k)?.command)).toEqual([
      SLURM_PROBE,
      PBS_PROBE,
      LSF_PROBE,
      FORK_PROBE,
    ]);
    expect([probeFor("local"), probeFor("condor")]).toEqual([null, null]);
  });

  it("reads the login host of a fork resource as one always-open queue", () => {
    const s = parseForkProbe("8\n2.10 1.50 1.00 3/200 999\n", {
      resourceId: "r",
      label: "login",
      host: "h",
      now: new Date(0),
    });
    expect([s.batch, s.nodes, s.coresPerNode]).toEqual(["fork", 1, 8]);
    expect(s.queues[0]).toMatchObject({
      name: "fork",
      isDefault: true,
      enabled: true,
      coresTotal: 8,
      coresFree: 6,
      nodesFree: 0,
    });
  });
});
