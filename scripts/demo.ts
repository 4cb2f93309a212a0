/**
 * `npm run demo`: the SC2014 demo, reproduced on one machine. Starts the loopback SLURM cluster
 * when it can (root + Debian packages), registers the five SC2014 machines as SLURM partitions
 * reached over sshd (blacklight's submission is rejected, gordon's job never starts), plans the
 * demo skeleton with the original's strategy, launches it, prints the run page's URL and a
 * progress line until it ends, then the statistics and the archive. Without root or SLURM it runs
 * on `local` and says so. The run belongs to the first account (or demo@emanager.local).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { followRun } from "../cli/follow";
import { processIO } from "../cli/io";
import { databaseUrl, dataDir } from "../lib/config/paths";
import { loadOrCreateSecret } from "../lib/config/secret";
import { openDb } from "../lib/db/client";
import { signUp } from "../lib/db/users";
import { startDemo } from "../lib/demo/start-demo";

async function main(): Promise<number> {
  const c = spawnSync("node", [path.join(process.cwd(), "scripts/cluster/ensure.mjs")], { stdio: "inherit" });
  if (c.status !== 0)
    console.log("[demo] no loopback SLURM cluster here: the demo runs its pilot on `local` instead.");
  const db = openDb(databaseUrl());
  try {
    let user = await db.user.findFirst({ orderBy: { createdAt: "asc" }, select: { id: true, email: true } });
    if (!user) {
      const r = await signUp(db, { email: "demo@emanager.local", password: "sc2014-demo" });
      if (!r.ok) throw new Error(r.error.message);
      user = { id: r.user.id, email: r.user.email };
      console.log("[demo] created the account demo@emanager.local (password: sc2014-demo)");
    }
    const r = await startDemo(db, user.id, { secret: loadOrCreateSecret(dataDir()).secret });
    if (!r.ok) {
      console.error(`[demo] ${r.message}`);
      return 2;
    }
    const url = `${process.env.NEXTAUTH_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`}/runs/${r.runId}`;
    console.log(
      `[demo] ${r.onCluster ? "five pilots on the loopback SLURM cluster (stampede, trestles, gordon, blacklight, hopper)" : "one pilot on local"}`,
    );
    console.log(`[demo] watch it live (sign in as ${user.email}): ${url}`);
    return (await followRun(db, user.id, r.runId, processIO)) === "DONE" ? 0 : 1;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`[demo] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
