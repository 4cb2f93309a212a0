#!/usr/bin/env node
// Used by `npm test`: starts the loopback cluster when this machine allows it (root + Debian
// packages). Exit 0: up. Exit 3: cannot be had here (and why), so the cluster tests will say so.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

if (typeof process.getuid === "function" && process.getuid() !== 0) {
  console.log("[cluster] not root: the loopback SLURM cluster cannot be started here (run scripts/cluster/up.sh as root)");
  process.exit(3);
}
const up = path.join(path.dirname(fileURLToPath(import.meta.url)), "up.sh");
const r = spawnSync("bash", [up], { stdio: "inherit" });
process.exit(r.status ?? 1);
