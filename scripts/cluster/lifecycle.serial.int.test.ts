import { spawn, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCluster } from "./cluster-info";

// up.sh's own failure paths: a lock left by a daemon or by an up.sh killed half way, and a munged
// restarted under running SLURM daemons. These restart daemons, so they run alone, before the
// other suites (`*.serial.int.test.ts`: scripts/test-all.mjs runs them first, one file at a time).
const here = path.join(process.cwd(), "scripts/cluster");
const STATE = process.env.EMANAGER_CLUSTER_DIR ?? "/var/lib/emanager-cluster";
const LOCK = path.join(STATE, ".up.lock");
const up = (...args: string[]) =>
  spawnSync("bash", [path.join(here, "up.sh"), ...args], { encoding: "utf8", timeout: 120_000 });

const pidOf = (file: string): number => Number(readFileSync(file, "utf8").trim());

/** the daemons of the cluster that have the lock file open (by path: a replaced file does not count) */
function daemonsHoldingLock(): string[] {
  const daemons: Record<string, string> = {
    munged: "/run/munge/munged.pid",
    slurmctld: "/run/slurmctld.pid",
    slurmd: "/run/slurmd.pid",
  };
  const holding: string[] = [];
  for (const [name, pidFile] of Object.entries(daemons)) {
    const fdDir = `/proc/${pidOf(pidFile)}/fd`;
    if (
      readdirSync(fdDir).some((fd) => {
        try {
          return readlinkSync(path.join(fdDir, fd)) === LOCK;
        } catch {
          return false;
        }
      })
    )
      holding.push(name);
  }
  return holding;
}

describe("scripts/cluster/up.sh under failure", () => {
  beforeAll(() => {
    ensureCluster();
  });

  it("recovers a lock held by a process that is not an up.sh, saying who held it", () => {
    const holder = spawn("flock", [LOCK, "sleep", "60"], { stdio: "ignore" });
    try {
      spawnSync("sleep", ["0.3"]);
      const t = Date.now();
      const r = up("--smoke");
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/recovered a stale .*\.up\.lock held by \d+ \((flock|sleep)\)/);
      expect(Date.now() - t).toBeLessThan(60_000);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("runs again at once after an up.sh was killed half way", async () => {
    const first = spawn("bash", [path.join(here, "up.sh"), "--smoke"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 400));
    first.kill("SIGKILL");
    const t = Date.now();
    const r = up("--smoke");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/smoke test passed/);
    expect(Date.now() - t).toBeLessThan(60_000);
  });

  it("restarts the SLURM daemons when munged had to be restarted, so the node takes jobs again", () => {
    const munged = pidOf("/run/munge/munged.pid");
    spawnSync("kill", [String(munged)]);
    for (let i = 0; i < 50 && spawnSync("kill", ["-0", String(munged)]).status === 0; i++)
      spawnSync("sleep", ["0.1"]);
    const r = up();
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/started munged/);
    expect(r.stdout).toMatch(/started slurmctld/);
    expect(r.stdout).toMatch(/started slurmd/);
    expect(r.stdout).toMatch(/smoke test passed/);
    // and none of the daemons it started holds the lock (they used to inherit it for life)
    expect(daemonsHoldingLock()).toEqual([]);
  });
});
