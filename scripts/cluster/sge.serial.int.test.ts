import { spawn, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureSge } from "../../lib/test-support/sge";

// sge-up.sh's own failure paths: a second run changes nothing; no Grid Engine daemon holds a lock
// of the cluster scripts (each is started with fd 9 closed); an sge-up.sh killed half way leaves
// nothing that blocks the next; a stopped qmaster or execd is started again and jobs run. These
// stop shared daemons, so the file runs alone (`*.serial.int.test.ts`).
const here = path.join(process.cwd(), "scripts/cluster");
const STATE = process.env.EMANAGER_CLUSTER_DIR ?? "/var/lib/emanager-cluster";
const LOCKS = [path.join(STATE, ".sge-up.lock"), path.join(STATE, ".up.lock")];
const QMASTER_PID = "/var/spool/gridengine/qmaster/qmaster.pid";
const sgeUp = () => spawnSync("bash", [path.join(here, "sge-up.sh")], { encoding: "utf8", timeout: 120_000 });
const pidOf = (file: string): number => Number(readFileSync(file, "utf8").trim());
const execdPidFile = () => {
  const d = "/var/spool/gridengine/execd";
  const host = readdirSync(d).find((h) => readdirSync(path.join(d, h)).includes("execd.pid"));
  return path.join(d, host!, "execd.pid");
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitGone(pid: number, ms: number) {
  const end = Date.now() + ms;
  while (alive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  expect(alive(pid), `pid ${pid} still alive`).toBe(false);
}

/** A job as hpcuser on all.q that must run and write within 30 s (the cell really works). */
function jobRuns(): void {
  const r = spawnSync(
    "runuser",
    [
      "-u",
      "hpcuser",
      "--",
      "bash",
      "-c",
      'd=$(mktemp -d) && cd "$d" && id=$(qsub -terse -w e -cwd -o out -j y -b y echo ok) && for i in $(seq 60); do grep -q ok out 2>/dev/null && echo "ran $id" && exit 0; sleep 0.5; done; exit 1',
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
}

describe("scripts/cluster/sge-up.sh under failure", () => {
  beforeAll(() => {
    ensureSge();
  });

  it("a second run changes nothing, and no daemon holds a lock of the cluster scripts", () => {
    const t0 = Date.now();
    const r = sgeUp();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^\[sge\] ready in \d+ ms/)]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    for (const pid of [pidOf(QMASTER_PID), pidOf(execdPidFile())]) {
      const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return "";
        }
      });
      expect(
        fds.filter((f) => LOCKS.includes(f)),
        `pid ${pid}`,
      ).toEqual([]);
    }
  });

  it("an sge-up.sh killed half way does not block the next one", async () => {
    const child = spawn("bash", [path.join(here, "sge-up.sh")], { detached: true, stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-child.pid!, "SIGKILL");
    const r = sgeUp();
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    jobRuns();
  }, 150_000);

  it("a stopped qmaster and a stopped execd are started again, and jobs run", async () => {
    const qm = pidOf(QMASTER_PID);
    const ex = pidOf(execdPidFile());
    process.kill(ex, "SIGTERM");
    process.kill(qm, "SIGTERM");
    await waitGone(ex, 30_000);
    await waitGone(qm, 30_000);
    const r = sgeUp();
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/started sge_qmaster/);
    expect(r.stdout).toMatch(/started sge_execd/);
    jobRuns();
  }, 150_000);
});
