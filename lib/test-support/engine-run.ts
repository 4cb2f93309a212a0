import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { seal } from "../crypto/secret-box";
import { openDb, type Db } from "../db/client";
import { launchRun } from "../runs/launch";
import { loadSkeletonText } from "../skeleton";
import { ensureCluster, type ClusterInfo } from "../../scripts/cluster/cluster-info";
import { engineContext, engineTick } from "../engine/wiring";
import type { ExecutionStrategy } from "../planner";

/** Helpers shared by the engine's integration tests (real database, real agent, real cluster). */

/** The SC2014 demo skeleton with its task lengths replaced, so a test takes seconds. */
export function demoSkeleton(stage1: string, stage2: string): string {
  const text = readFileSync(
    path.resolve(process.cwd(), "../shared/fixtures/skeletons/emanager_skeleton_demo_SC2014.conf"),
    "utf8",
  );
  return text.replace("uniform 10", stage1).replace("uniform 32", stage2);
}

/** A user with the loopback cluster's key stored (encrypted with `secret`). */
export async function clusterUser(db: Db, cl: ClusterInfo, email: string, secret: string) {
  const user = await db.user.create({ data: { email, passwordHash: "h" } });
  const cred = await db.credential.create({
    data: {
      userId: user.id,
      label: "test key",
      kind: "key",
      encryptedKey: seal(readFileSync(cl.privateKeyPath, "utf8"), secret),
    },
  });
  const resource = (label: string, kind: string, extra: { defaultQueue?: string; workDir?: string } = {}) =>
    db.resource.create({
      data: {
        userId: user.id,
        label,
        kind,
        host: cl.host,
        port: cl.port,
        username: cl.user,
        credentialId: cred.id,
        workDir: extra.workDir ?? "~/emanager-test",
        hostKey: cl.hostKey,
        hostKeyAlgo: cl.hostKeyAlgo,
        ...(extra.defaultQueue ? { defaultQueue: extra.defaultQueue } : {}),
      },
    });
  return { user, resource };
}

export interface TestPilot {
  resourceId: string;
  resource: string;
  /** the resource's kind, as stored (checked: a test that names another kind is wrong) */
  kind: string;
  queue?: string | null;
  cores: number;
  walltimeMinutes?: number;
  surplus?: boolean;
}

/**
 * Creates a run of `skeletonText` with one pilot per entry, through lib/runs/launch.ts as every
 * launch goes; the plan is written by hand (no snapshots), so tests choose their pilots exactly.
 */
export async function startRun(
  db: Db,
  userId: string,
  name: string,
  skeletonText: string,
  pilots: TestPilot[],
  opts: { strategy?: "aimes" | "adaptive" } = {},
) {
  const kinds = await db.resource.findMany({
    where: { id: { in: pilots.map((p) => p.resourceId) } },
    select: { id: true, kind: true },
  });
  for (const p of pilots) {
    const stored = kinds.find((k) => k.id === p.resourceId)?.kind;
    if (stored !== p.kind)
      throw new Error(
        `test pilot on ${p.resource}: kind ${p.kind}, but the resource is ${stored ?? "missing"}`,
      );
  }
  const plan: ExecutionStrategy = {
    strategy: opts.strategy ?? "adaptive",
    binding: "late",
    scheduler: "backfilling",
    predictedTtcSeconds: 0,
    assumptions: ["written by hand for a test"],
    trail: [],
    rejected: [],
    warnings: [],
    pilots: pilots.map((p) => ({
      resourceId: p.resourceId,
      resource: p.resource,
      queue: p.queue ?? null,
      cores: p.cores,
      nodes: 1,
      walltimeMinutes: p.walltimeMinutes ?? 10,
      project: null,
      ...(p.surplus ? { surplus: true } : {}),
    })),
  };
  const r = await launchRun(db, {
    userId,
    name,
    skeleton: { text: skeletonText, fileName: "demo.conf" },
    seed: 0,
    maxRetries: 1,
    plan,
    snapshots: [],
    now: new Date(),
  });
  if (!r.ok) throw new Error(`the test run does not launch (${r.code}): ${r.message}`);
  const run = await db.run.findUniqueOrThrow({ where: { id: r.runId } });
  const l = loadSkeletonText(skeletonText, { fileName: "demo.conf" });
  if (!l.ok) throw new Error(`the test skeleton does not load: ${l.errors[0]?.message}`);
  return { run, workload: l.workload };
}

/** Ticks the engine on one run until it is final (or `stop` says so); throws after `ms`. */
export async function driveUntilFinal(db: Db, runId: string, ms: number, stop?: () => Promise<boolean>) {
  const ctx = engineContext(db, { log: () => undefined });
  const deadline = Date.now() + ms;
  for (;;) {
    await engineTick(ctx, [runId]);
    const st = (await db.run.findUniqueOrThrow({ where: { id: runId } })).state;
    if (stop ? await stop() : st !== "NEW" && st !== "ACTIVE") break;
    if (Date.now() > deadline) throw new Error(`the run did not finish within ${ms / 1000} s (state ${st})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return db.run.findUniqueOrThrow({ where: { id: runId } });
}

/**
 * The set-up every loopback-cluster test repeats: a fresh data directory and database, the
 * server secret its keys are sealed with, and the cluster (started when it is not up). Call it
 * at the top of a test file; the getters are valid inside tests.
 */
export function clusterTestBed(prefix: string, secret: string): { db: () => Db; cluster: () => ClusterInfo } {
  const data = mkdtempSync(path.join(os.tmpdir(), prefix));
  let db: Db | null = null;
  let cl: ClusterInfo | null = null;
  beforeAll(() => {
    process.env.EMANAGER_DATA_DIR = data;
    process.env.NEXTAUTH_SECRET = secret;
    cl = ensureCluster();
    db = openDb(`file:${path.join(data, "em.db")}`);
  });
  afterAll(() => db?.$disconnect());
  return { db: () => db!, cluster: () => cl! };
}
