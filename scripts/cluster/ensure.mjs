#!/usr/bin/env node
// Called by the test command and the cluster integration tests: brings the loopback SLURM
// cluster up when this machine allows it (scripts/cluster/up.sh, idempotent, ~0.1 s when up),
// and with --sge the Grid Engine cell next to it (scripts/cluster/sge-up.sh). With --pg alone it
// starts only the loopback PostgreSQL (scripts/cluster/pg-up.sh), which needs no SLURM.
// Exit 0: the cluster is up. Exit 3: it cannot be had on this machine, and the printed line says
// why (not root; packages missing and no apt-get). Any other exit: up.sh failed, its output says how.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

function onPath(cmd) {
  return (process.env.PATH ?? "").split(":").some((d) => d && existsSync(path.join(d, cmd)));
}

function cannot(why) {
  console.log(`[cluster] the loopback SLURM cluster cannot be started here: ${why}`);
  process.exit(3);
}

if (process.platform !== "linux") cannot(`it needs Linux (this is ${process.platform})`);
if (typeof process.getuid === "function" && process.getuid() !== 0) {
  cannot(
    "not root (scripts/cluster/up.sh installs Debian packages, adds a user and starts daemons; run it as root)",
  );
}
// --pg: PostgreSQL on 127.0.0.1:55432 (pg-up.sh, ~0.1 s when it is up), for the PostgreSQL suites
if (process.argv.includes("--pg")) {
  const p = spawnSync("bash", [path.join(here, "pg-up.sh")], { stdio: "inherit" });
  if (p.error) cannot(`bash could not be run: ${p.error.message}`);
  if (p.status !== 0 || !process.argv.includes("--sge")) process.exit(p.status ?? 1);
}
const installed = ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/sbin/sshd"].every(
  (f) => existsSync(f),
);
if (!installed && !onPath("apt-get"))
  cannot("slurm-wlm, munge or openssh-server is missing and there is no apt-get to install them");

const r = spawnSync("bash", [path.join(here, "up.sh")], { stdio: "inherit" });
if (r.error) cannot(`bash could not be run: ${r.error.message}`);
// --sge: Grid Engine next to SLURM (sge-up.sh, ~1 s when it is up), for the SGE suites only
if (r.status === 0 && process.argv.includes("--sge")) {
  const g = spawnSync("bash", [path.join(here, "sge-up.sh")], { stdio: "inherit" });
  if (g.error) cannot(`bash could not be run: ${g.error.message}`);
  process.exit(g.status ?? 1);
}
process.exit(r.status ?? 1);
