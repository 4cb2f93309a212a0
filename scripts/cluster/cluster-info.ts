import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readClusterInfo, type ClusterInfo } from "../../lib/config/cluster-info";

// the schema and reader live in lib/config/cluster-info.ts (the demo reads the file too)
export { ZClusterInfo, clusterDir, readClusterInfo, type ClusterInfo } from "../../lib/config/cluster-info";

/**
 * Brings the cluster up (scripts/cluster/ensure.mjs; ~0.1 s when it is up already) and reads its
 * facts. Throws with ensure.mjs's own explanation when this machine cannot have the cluster.
 */
export function ensureCluster(): ClusterInfo {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "ensure.mjs");
  const r = spawnSync("node", [script], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(
      `the loopback SLURM cluster is not available (ensure.mjs exit ${r.status ?? r.signal}): ${`${r.stdout}${r.stderr}`.trim()}`,
    );
  }
  return readClusterInfo();
}
