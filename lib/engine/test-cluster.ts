import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/** The loopback cluster's facts (scripts/cluster/up.sh writes them); starts it when it is not up. */
export interface ClusterInfo {
  host: string;
  port: number;
  user: string;
  privateKeyPath: string;
  hostKeyAlgo: string;
  hostKey: string;
  hostKeyFile: string;
  nodeCpus: number;
}

export function ensureCluster(): ClusterInfo {
  const r = spawnSync("node", [path.join(process.cwd(), "scripts/cluster/ensure.mjs")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`the loopback SLURM cluster is not available (exit ${r.status}): ${r.stdout}${r.stderr}`);
  const dir = process.env.EMANAGER_CLUSTER_DIR ?? "/var/lib/emanager-cluster";
  return JSON.parse(readFileSync(path.join(dir, "cluster.json"), "utf8")) as ClusterInfo;
}
