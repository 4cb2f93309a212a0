import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { dataDir } from "../config/paths";
import type { Db } from "../db/client";
import type { EngineContext } from "./context";
import { driveRun } from "./driver";
import { claimRuns } from "./lease";
import type { PilotSite } from "./ports";
import { getBatchAdapter, transportFor } from "../resources/access";
import { settleRunEnds } from "./run-end";
import { engineSettings } from "./settings";
import { remoteSite } from "./sites/remote";
import { LocalTransport } from "../transport/local";
import { loadOrCreateSecret } from "../config/secret";

/** The server's secret: from the environment (the web server) or the data directory (the CLI). */
function serverSecretOrData(): string {
  return process.env.NEXTAUTH_SECRET ?? loadOrCreateSecret(dataDir()).secret;
}

/**
 * Builds the engine's context from the real adapters, and the tick that drives every run this
 * engine holds the lease of. One engine instance per process (server or headless CLI).
 */
export const ENGINE_ID = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
const LEASE_MS = 15_000;

/**
 * The site of `local` pilots: the one pilot site like any other resource's, with this machine as
 * the transport and the fork adapter as the batch system (lib/batch/local.ts). Its agents beat
 * and drain sooner than a cluster's: nothing waits in a queue here.
 */
export function localPilotSite(root = path.join(dataDir(), "sandboxes")): PilotSite {
  return remoteSite(new LocalTransport(), getBatchAdapter("local"), root, {
    heartbeatSeconds: 2,
    drainMarginSeconds: 10,
  });
}

export function engineContext(
  db: Db,
  opts: { log?: (m: string) => void; heartbeatTimeoutS?: number } = {},
): EngineContext {
  const sites = new Map<string, PilotSite>();
  const settings = engineSettings();
  return {
    db,
    now: () => new Date(),
    ...settings,
    heartbeatTimeoutS: opts.heartbeatTimeoutS ?? settings.heartbeatTimeoutS,
    log: opts.log ?? ((m) => console.log(`[engine] ${m}`)),
    async site(resourceId, kind) {
      const key = `${kind}:${resourceId ?? ""}`;
      let s = sites.get(key);
      if (!s) {
        if (kind === "local") s = localPilotSite();
        else {
          if (!resourceId) throw new Error(`a ${kind} pilot has no resource`);
          const { transport, workDir } = await transportFor(db, resourceId, serverSecretOrData());
          s = remoteSite(transport, getBatchAdapter(kind), workDir);
        }
        sites.set(key, s);
      }
      return s;
    },
  };
}

/** One engine tick: renew/claim leases, drive each run (a failing run does not stop the others), settle the runs that ended. */
export async function engineTick(ctx: EngineContext, only?: string[]): Promise<string[]> {
  const runs = await claimRuns(ctx.db, ENGINE_ID, ctx.now(), LEASE_MS, only);
  for (const id of runs) {
    try {
      await driveRun(ctx, id);
    } catch (e: unknown) {
      ctx.log(`run ${id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  // runs that ended (this tick, or under an engine that died before notifying): their run-end
  // notification goes out once, beside the loop (lib/engine/run-end.ts)
  try {
    await settleRunEnds(ctx.db, ENGINE_ID, ctx.now(), { only, log: ctx.log, jobs: ctx });
  } catch (e: unknown) {
    ctx.log(`run-end notifications: ${e instanceof Error ? e.message : String(e)}`);
  }
  return runs;
}
