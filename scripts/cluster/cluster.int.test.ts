import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCluster, readClusterInfo } from "./cluster-info";

// The scripts themselves: idempotence, status, and ensure.mjs's refusal where it cannot work.
const here = path.join(process.cwd(), "scripts/cluster");
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" });

describe("scripts/cluster", () => {
  beforeAll(() => {
    ensureCluster();
  });

  it("up.sh on a running cluster changes nothing and says so", () => {
    const r = run("bash", [path.join(here, "up.sh")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/already up, nothing to do \(\d+ ms\)/);
  });

  it("status.sh reports every part up", () => {
    const r = run("bash", [path.join(here, "status.sh")]);
    expect(r.status).toBe(0);
    for (const part of ["munged", "slurmctld", "slurmd", "node", "sshd", "state"])
      expect(r.stdout).toMatch(new RegExp(`${part}\\s+up`));
    expect(r.stdout).toMatch(/vm|idle|mix/);
  });

  it("cluster.json describes the partitions, their limits and behaviours", () => {
    const c = readClusterInfo();
    expect(c.partitions).toMatchObject({
      stampede: { maxMinutes: 60, state: "up", default: true },
      trestles: { maxMinutes: 30 },
      hopper: { maxMinutes: 120 },
      gordon: { state: "down", submit: "accepted", pendingReason: "PartitionDown" },
      blacklight: { state: "inactive", submit: "rejected" },
      debug: { maxMinutes: 10 },
    });
    expect(c.nodeCpus).toBeGreaterThanOrEqual(16);
  });

  it("ensure.mjs exits 3 with the reason when not run as root", () => {
    const r = run("runuser", ["-u", "nobody", "--", process.execPath, path.join(here, "ensure.mjs")]);
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/cannot be started here: not root/);
  });
});
