import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { clusterDir, readClusterInfo, type ClusterInfo } from "../config/cluster-info";
import { seal } from "../crypto/secret-box";
import type { Db } from "../db/client";

/**
 * The SC2014 machines as resources of one user, on the loopback SLURM cluster when it is up:
 * one SLURM partition each (scripts/cluster/up.sh), reached over the loopback sshd with the
 * cluster's key and its pinned host key. gordon's partition is DOWN (its pilot never starts),
 * blacklight's is INACTIVE (sbatch rejects its pilot), as in the original demo.
 */
export const DEMO_MACHINES = ["stampede", "trestles", "gordon", "blacklight", "hopper"] as const;

/** The loopback cluster's facts (lib/config/cluster-info.ts, through its schema), or null when it is not here. */
export function clusterInfo(dir = clusterDir()): ClusterInfo | null {
  if (!existsSync(path.join(dir, "cluster.json"))) return null;
  try {
    const c = readClusterInfo(dir);
    readFileSync(c.privateKeyPath, "utf8");
    return c;
  } catch {
    return null;
  }
}

/** Creates (or reuses) the five demo resources for a user; null when there is no loopback cluster. */
export async function ensureDemoResources(db: Db, userId: string, secret: string): Promise<string[] | null> {
  const c = clusterInfo();
  if (!c) return null;
  const key = readFileSync(c.privateKeyPath, "utf8");
  let cred = await db.credential.findFirst({
    where: { userId, label: "loopback cluster (demo)" },
    select: { id: true },
  });
  cred ??= await db.credential.create({
    data: { userId, label: "loopback cluster (demo)", kind: "key", encryptedKey: seal(key, secret) },
    select: { id: true },
  });
  const ids: string[] = [];
  for (const m of DEMO_MACHINES) {
    const r = await db.resource.upsert({
      where: { userId_label: { userId, label: m } },
      update: {
        hostKey: c.hostKey,
        hostKeyAlgo: c.hostKeyAlgo,
        credentialId: cred.id,
        port: c.port,
        host: c.host,
      },
      create: {
        userId,
        label: m,
        kind: "slurm",
        host: c.host,
        port: c.port,
        username: c.user,
        credentialId: cred.id,
        defaultQueue: m,
        workDir: "~/emanager",
        hostKey: c.hostKey,
        hostKeyAlgo: c.hostKeyAlgo,
        coresPerNode: 16,
      },
      select: { id: true },
    });
    ids.push(r.id);
  }
  return ids;
}
