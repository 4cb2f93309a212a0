import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { seal } from "../../lib/crypto/secret-box";
import { ensureCluster } from "../cluster/cluster-info";
import { localRun } from "./local-run";
import type { BenchRow } from "./types";

/**
 * One 16-core pilot on the loopback SLURM cluster over SSH, with the server's own tick settings
 * (no local watch: the engine reads the agent's events over SSH each tick), against `xargs -P 16`
 * running `true` inside an allocation of the same size in the same partition (`srun -c 16`),
 * timed from inside the allocation. The pilot's figure runs from its ACTIVE to its last task's
 * end, so the queue wait and the agent's start are left out of both.
 */
const CORES = 16;
const PARTITION = "stampede";

export async function bench(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_SLURM_TASKS ?? 5_000);
  const cl = ensureCluster();
  const secret = "b".repeat(43);
  process.env.NEXTAUTH_SECRET ??= secret;
  const out = execFileSync(
    "srun",
    [
      "-p",
      PARTITION,
      "-N",
      "1",
      "-n",
      "1",
      "-c",
      String(CORES),
      "--quiet",
      "bash",
      "-c",
      `t=$EPOCHREALTIME; seq ${n} | xargs -P ${CORES} -n 1 true; echo "$t $EPOCHREALTIME"`,
    ],
    { encoding: "utf8", timeout: 300_000 },
  );
  const [t0, t1] = out.trim().split(/\s+/).map(Number);
  const inside = t1! - t0!;
  const r = await localRun({
    tasks: n,
    cores: CORES,
    walltimeMinutes: 30,
    timeoutS: 600,
    resource: async (db, userId) => {
      const cred = await db.credential.create({
        data: {
          userId,
          label: "bench key",
          kind: "key",
          encryptedKey: seal(readFileSync(cl.privateKeyPath, "utf8"), process.env.NEXTAUTH_SECRET!),
        },
      });
      const res = await db.resource.create({
        data: {
          userId,
          label: PARTITION,
          kind: "slurm",
          host: cl.host,
          port: cl.port,
          username: cl.user,
          credentialId: cred.id,
          workDir: "~/emanager-bench",
          hostKey: cl.hostKey,
          hostKeyAlgo: cl.hostKeyAlgo,
          defaultQueue: PARTITION,
        },
      });
      return { id: res.id, kind: "slurm", label: PARTITION, queue: PARTITION };
    },
  });
  if (r.state !== "DONE") throw new Error(`the SLURM bench run ended ${r.state}`);
  return [
    {
      figure: `SLURM over SSH: one ${CORES}-core pilot, ${n.toLocaleString("en")} no-op tasks, pilot ACTIVE → last task ended`,
      value: r.tasks / r.activeToLast,
      unit: "tasks/s",
      baseline: {
        label: `xargs -P ${CORES} -n 1 true inside srun -c ${CORES}, same partition and run`,
        value: n / inside,
        unit: "tasks/s",
      },
      ratio: inside / r.activeToLast,
      ratioNote: "EManager's throughput as a share of xargs",
      budget: "≥ 0.5",
    },
  ];
}
