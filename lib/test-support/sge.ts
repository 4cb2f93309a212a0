import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { clusterDir, readClusterInfo, type ClusterInfo } from "../../scripts/cluster/cluster-info";

/**
 * For the Grid Engine suites: the loopback SLURM cluster and sshd (up.sh) plus the Grid Engine
 * cell next to them (sge-up.sh), both through `ensure.mjs --sge`, and the cell's facts from
 * $EMANAGER_CLUSTER_DIR/sge.json. A machine that cannot have them fails the tests with the
 * script's reason, never skips them.
 */
const ZSgeQueue = z.object({
  slots: z.number().int().positive(),
  hRtMinutes: z.number().int().positive(),
  enabled: z.boolean(),
});
export const ZSgeInfo = z.object({
  version: z.literal(1),
  host: z.string().min(1),
  sgeRoot: z.string(),
  cell: z.string(),
  user: z.string(),
  slots: z.number().int().positive(),
  queues: z.record(z.string(), ZSgeQueue),
  enabledQueue: z.string(),
  disabledQueue: z.string(),
});
export type SgeInfo = z.infer<typeof ZSgeInfo>;

export function ensureSge(): { cluster: ClusterInfo; sge: SgeInfo } {
  const script = path.resolve(process.cwd(), "scripts/cluster/ensure.mjs");
  const r = spawnSync("node", [script, "--sge"], { encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(
      `the loopback Grid Engine cell is not available (ensure.mjs --sge exit ${r.status ?? r.signal}): ${`${r.stdout}${r.stderr}`.trim()}`,
    );
  const file = path.join(clusterDir(), "sge.json");
  const parsed = ZSgeInfo.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${file} is not what scripts/cluster/sge-up.sh writes: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return { cluster: readClusterInfo(), sge: parsed.data };
}

/** Job ids of `user` that qmaster still lists (any state), as root sees them. */
export function sgeJobsOf(user: string): { id: string; state: string }[] {
  const r = spawnSync("qstat", ["-u", user], { encoding: "utf8" });
  return r.stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((t) => /^\d+$/.test(t[0] ?? ""))
    .map((t) => ({ id: t[0]!, state: t[4] ?? "" }));
}
