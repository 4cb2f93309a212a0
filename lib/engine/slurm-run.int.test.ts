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

// The SC2014 demo on the real loopback SLURM over the real sshd: stampede and trestles run it,
// blacklight's submission is rejected by sbatch, gordon's job waits in a DOWN partition forever.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-slurm-run-"));
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

describe("a run on the loopback SLURM cluster", () => {
  it("runs the SC2014 demo on two partitions and survives a rejected and a never-starting pilot", async () => {
    const u = await db.user.create({ data: { email: "slurm@x.org", passwordHash: "h" } });
    const cred = await db.credential.create({ data: { userId: u.id, label: "test key", kind: "key", encryptedKey: seal(readFileSync(cl.privateKeyPath, "utf8"), SECRET) } });
    const res = await Promise.all(
      ["stampede", "trestles", "blacklight", "gordon"].map((label) =>
        db.resource.create({ data: { userId: u.id, label, kind: "slurm", host: cl.host, port: cl.port, username: cl.user, credentialId: cred.id, defaultQueue: label, workDir: "~/emanager-test", hostKey: cl.hostKey, hostKeyAlgo: cl.hostKeyAlgo } }),
      ),
    );
    const l = loadSkeletonText(demo, { fileName: "demo.conf" });
    if (!l.ok) throw new Error("skeleton");
    const run = await createRun(db, {
      userId: u.id, name: "slurm demo", skeletonId: null, strategy: "aimes", seed: 0, maxRetries: 1, workload: l.workload, skeletonText: demo,
      plan: { pilots: res.map((r) => ({ resourceId: r.id, resource: r.label, queue: r.label, cores: 3, nodes: 1, walltimeMinutes: 10, project: null })) },
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
    expect(pilots.get("blacklight")?.state).toBe("FAILED");
    expect(pilots.get("blacklight")?.reason).toMatch(/Required partition not available \(inactive or drain\)/);
    expect(pilots.get("gordon")?.state).toBe("CANCELED");
    expect(pilots.get("gordon")?.activeAt).toBeNull();
    expect(pilots.get("stampede")?.activeAt).not.toBeNull();
    const events = await readEvents(db, run.id);
    const ran = new Set(events.filter((e) => e.to === "AGENT_EXECUTING").map((e) => e.data?.pilotId));
    expect(ran.has(pilots.get("blacklight")!.id) || ran.has(pilots.get("gordon")!.id)).toBe(false);
    expect(events.filter((e) => e.to === "DONE" && e.entity === "task")).toHaveLength(21);
  }, 200_000);
});
