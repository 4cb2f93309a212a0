import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * What scripts/cluster/up.sh writes to $EMANAGER_CLUSTER_DIR/cluster.json, for tests and the demo:
 * how to reach the loopback sshd and what each SLURM partition does. Read through this schema by
 * the demo (lib/demo) and by scripts/cluster/cluster-info.ts (tests), never cast.
 */
const ZPartition = z.object({
  maxMinutes: z.number().int().positive(),
  state: z.enum(["up", "down", "inactive", "drain"]),
  default: z.boolean(),
  submit: z.enum(["accepted", "rejected"]),
  /** DOWN partitions: jobs are accepted and stay PENDING with this reason */
  pendingReason: z.string().optional(),
  /** INACTIVE partitions: sbatch's exact stderr line */
  sbatchStderr: z.string().optional(),
});

export const ZClusterInfo = z.object({
  version: z.literal(1),
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  home: z.string(),
  privateKeyPath: z.string(),
  publicKeyPath: z.string(),
  passphraseKey: z.object({ privateKeyPath: z.string(), passphraseFile: z.string() }),
  hostKeyAlgo: z.string(),
  /** base64 of the host key blob, as pinned by EManager */
  hostKey: z.string(),
  hostKeyFile: z.string(),
  hostKeyFingerprint: z.string().startsWith("SHA256:"),
  knownHostsFile: z.string(),
  sshdPidFile: z.string(),
  maxSessions: z.number().int(),
  nodeName: z.string(),
  nodeCpus: z.number().int().positive(),
  defaultPartition: z.string(),
  partitions: z.record(z.string(), ZPartition),
});
export type ClusterInfo = z.infer<typeof ZClusterInfo>;

export function clusterDir(): string {
  return process.env.EMANAGER_CLUSTER_DIR ?? "/var/lib/emanager-cluster";
}

export function readClusterInfo(dir = clusterDir()): ClusterInfo {
  const file = path.join(dir, "cluster.json");
  const parsed = ZClusterInfo.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${file} is not what scripts/cluster/up.sh writes: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}
