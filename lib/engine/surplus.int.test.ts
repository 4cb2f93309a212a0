import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seal } from "../crypto/secret-box";
import { openDb, type Db } from "../db/client";
import { readEvents } from "../db/events";
import { createRun } from "../db/runs";
import { loadSkeletonText } from "../skeleton";
import { ensureCluster, type ClusterInfo } from "./test-cluster";
import { engineContext, engineTick } from "./wiring";

// Over-provisioning on the real loopback SLURM: three pilots planned, one of them surplus; gordon's
// partition is DOWN so its pilot never starts, and once stampede and trestles are active it is
// cancelled as surplus (on SLURM too) instead of waiting in its queue until the run ends.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-surplus-"));
const SECRET = "x".repeat(43);
let db: Db;
let cl: ClusterInfo;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  process.env.NEXTAUTH_SECRET = SECRET;
  cl = ensureCluster();
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(() => db.$disconnect());

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
const demo = readFileSync(path.join(FIX, "emanager_skeleton_demo_SC2014.conf"), "utf8").replace("uniform 10", "uniform 1").replace("uniform 32", "uniform 2");

describe("over-provisioned runs", () => {
  it("cancel the pilots still queued once enough have become active", async () => {
    const u = await db.user.create({ data: { email: "surplus@x.org", passwordHash: "h" } });
    const cred = await db.credential.create({ data: { userId: u.id, label: "test key", kind: "key", encryptedKey: seal(readFileSync(cl.privateKeyPath, "utf8"), SECRET) } });
    const res = await Promise.all(
      ["gordon", "stampede", "trestles"].map((label) =>
        db.resource.create({ data: { userId: u.id, label, kind: "slurm", host: cl.host, port: cl.port, username: cl.user, credentialId: cred.id, defaultQueue: label, workDir: "~/emanager-test", hostKey: cl.hostKey, hostKeyAlgo: cl.hostKeyAlgo } }),
      ),
    );
    const l = loadSkeletonText(demo, { fileName: "demo.conf" });
    if (!l.ok) throw new Error("skeleton");
    const run = await createRun(db, {
      userId: u.id, name: "surplus demo", skeletonId: null, strategy: "aimes", seed: 0, maxRetries: 1, workload: l.workload, skeletonText: demo,
      plan: { pilots: res.map((r, i) => ({ resourceId: r.id, resource: r.label, queue: r.label, cores: 3, nodes: 1, walltimeMinutes: 10, project: null, ...(i === 2 ? { surplus: true } : {}) })) },
      resourceKinds: Object.fromEntries(res.map((r) => [r.id, "slurm"])), resourcesSnapshot: [], now: new Date(),
    });
    const ctx = engineContext(db, { log: () => undefined });
    const deadline = Date.now() + 150_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const st = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state;
      if (st !== "NEW" && st !== "ACTIVE") break;
      if (Date.now() > deadline) throw new Error("the run did not finish in time");
      await new Promise((r) => setTimeout(r, 300));
    }
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const t of l.workload.tasks) for (const o of t.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilots = new Map((await db.pilot.findMany({ where: { runId: run.id } })).map((p) => [p.label, p]));
    expect(pilots.get("gordon")?.state).toBe("CANCELED");
    expect(pilots.get("gordon")?.reason).toBe("surplus: 2 of 3 planned pilots became active, the 2 the workload needs");
    expect(pilots.get("gordon")?.activeAt).toBeNull();
    // cancelled on SLURM as well: no job of this run is left in the queue
    const jobs = [...pilots.values()].map((p) => p.jobId).filter(Boolean).join(",");
    const sq = spawnSync("squeue", ["-h", "-j", jobs, "-o", "%i %T"], { encoding: "utf8" });
    expect(sq.stdout.trim()).toBe("");
    const events = await readEvents(db, run.id);
    const cancelledAt = events.find((e) => e.entity === "pilot" && e.entityId === pilots.get("gordon")!.id && e.to === "CANCELED")!.at;
    const lastDone = Math.max(...events.filter((e) => e.entity === "task" && e.to === "DONE").map((e) => e.at));
    expect(cancelledAt).toBeLessThan(lastDone);
  }, 200_000);
});
