import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clusterAccess } from "../../lib/test-support/cluster";

// `emanager resource` as a person runs it: a real process, a fresh data directory, the loopback
// SLURM cluster over the loopback sshd.
const data = mkdtempSync(path.join(os.tmpdir(), "em-cli-res-"));
// the data directory decides the database: an inherited DATABASE_URL would point elsewhere
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.DATABASE_URL;
const em = (...args: string[]) =>
  spawnSync("npx", ["--no-install", "emanager", "resource", ...args], {
    encoding: "utf8",
    env: { ...env, EMANAGER_DATA_DIR: data },
    timeout: 90_000,
  });

describe("emanager resource", () => {
  it("add, probe (the unknown host key pinned only with its fingerprint), list with the queues", () => {
    const c = clusterAccess().info;
    expect(em("list").stdout).toMatch(/^local\tlocal\t\d+ cores on this machine\n$/);
    const add = em(
      "add",
      "lo",
      "--kind",
      "slurm",
      "--host",
      c.host,
      "--port",
      String(c.port),
      "--username",
      c.user,
      "--key",
      c.privateKeyPath,
      "--queue",
      "stampede",
    );
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain("added lo; next: emanager resource probe lo");
    expect(em("list").stdout).toMatch(/lo\tslurm\thpcuser@127\.0\.0\.1:\d+\tnever probed/);

    const first = em("probe", "lo");
    expect(first.status).toBe(1);
    expect(first.stderr).toContain(`run again with --accept-host-key ${c.hostKeyFingerprint}`);
    const wrong = em("probe", "lo", "--accept-host-key", "SHA256:notthatone");
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("nothing pinned");

    const t0 = Date.now();
    const ok = em("probe", "lo", "--accept-host-key", c.hostKeyFingerprint);
    // the command ends when it is done: the SSH pool's idle connection (kept a minute for a server) is closed
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`host key ${c.hostKeyFingerprint} pinned`);
    expect(ok.stdout).toMatch(/queue stampede \(default\): up, at most 60 min/);
    expect(ok.stdout).toMatch(/queue debug: up, at most 10 min/);
    // pinned: the next probe needs nothing
    expect(em("probe", "lo").status).toBe(0);
    expect(em("list").stdout).toMatch(/lo\tslurm\thpcuser@127\.0\.0\.1:\d+\tprobed \d+ s ago/);
  }, 180_000);

  it("import reads the original's bundle configuration; bad input exits 2 with the reason", () => {
    const bundle = path.join(data, "bundle.conf");
    writeFileSync(
      bundle,
      "cluster_type=moab hostname=stampede.tacc.utexas.edu username=<INSERT_STAMPEDE_USERNAME>\n",
    );
    const placeholder = em("import", bundle);
    expect(placeholder.status).toBe(2);
    expect(placeholder.stderr).toContain("is a placeholder");
    const r = em("import", bundle, "--username", "ada");
    expect(r.stdout).toMatch(
      /added stampede\.tacc\.utexas\.edu|added \S+ \(\w+, ada@stampede\.tacc\.utexas\.edu\)/,
    );
    expect(em("add", "x", "--kind", "slurm").status).toBe(2);
    expect(em("probe", "nosuch").stderr).toContain("no resource named nosuch");
    expect(em("frobnicate").status).toBe(2);
  }, 120_000);
});
