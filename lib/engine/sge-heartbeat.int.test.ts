import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../scripts/cluster/cluster-info";
import { openDb, type Db } from "../db/client";
import { readEvents } from "../db/events";
import { clusterUser, demoSkeleton, startRun } from "../test-support/engine-run";
import { ensureSge, sgeJobsOf, type SgeInfo } from "../test-support/sge";
import { engineContext, engineTick } from "./wiring";

// A Grid Engine pilot frozen by the batch system itself: `qmod -sj` suspends its job (SIGSTOP to
// the agent, its spawner and its tasks), beside a healthy pilot. Its heartbeat goes stale, so after
// the timeout it is FAILED and its job deleted; the tasks it held are rebound or retried on the
// healthy pilot and the run ends DONE, with every task DONE once and nothing left in qstat.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-sge-heartbeat-"));
const SECRET = "h".repeat(43);
let db: Db;
let cl: ClusterInfo;
let sge: SgeInfo;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  process.env.NEXTAUTH_SECRET = SECRET;
  process.env.EMANAGER_POLL_INTERVAL_S = "1";
  ({ cluster: cl, sge } = ensureSge());
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(() => db.$disconnect());

describe("an SGE pilot suspended by qmod -sj beside a healthy one", () => {
  it("is FAILED for its stale heartbeat, its job deleted, its tasks finished on the other pilot", async () => {
    const { user, resource } = await clusterUser(db, cl, "sge-hb@x.org", SECRET);
    const res = await Promise.all(
      ["sge-a", "sge-b"].map((label) => resource(label, "sge", { defaultQueue: sge.enabledQueue })),
    );
    const { run } = await startRun(
      db,
      user.id,
      "sge suspended",
      demoSkeleton("uniform 2", "uniform 0.5"),
      res.map((r) => ({
        resourceId: r.id,
        resource: r.label,
        kind: "sge",
        queue: sge.enabledQueue,
        cores: 2,
      })),
    );
    const ctx = engineContext(db, { log: () => undefined, heartbeatTimeoutS: 15 }); // three of the remote agent's 5 s heartbeats
    let victim: { id: string; jobId: string } | null = null;
    let suspendedAt = 0;
    let stateWhileSuspended = "";
    const end = Date.now() + 120_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const r = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      if (r.state !== "NEW" && r.state !== "ACTIVE") break;
      if (victim === null) {
        const p = await db.pilot.findFirstOrThrow({ where: { runId: run.id, index: 0 } });
        if (
          (await db.task.count({ where: { runId: run.id, pilotId: p.id, state: "AGENT_EXECUTING" } })) > 0
        ) {
          // root is a Grid Engine manager: it may suspend hpcuser's job, as an operator would
          execFileSync("qmod", ["-sj", p.jobId!]);
          victim = { id: p.id, jobId: p.jobId! };
          suspendedAt = Date.now();
        }
      } else if (!stateWhileSuspended) {
        stateWhileSuspended = sgeJobsOf(sge.user).find((j) => j.id === victim!.jobId)?.state ?? "";
      }
      if (Date.now() > end) throw new Error("the run neither finished nor stopped");
      await new Promise((r2) => setTimeout(r2, 200));
    }
    expect(stateWhileSuspended).toMatch(/s/);
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    const pilots = await db.pilot.findMany({ where: { runId: run.id }, orderBy: { index: "asc" } });
    expect(pilots.map((p) => p.state)).toEqual(["FAILED", "DONE"]);
    expect(pilots[0]!.reason).toMatch(/^no heartbeat for \d+ s \(limit 15 s\)$/);
    const events = await readEvents(db, run.id);
    const failedAt = events.find(
      (e) => e.entity === "pilot" && e.entityId === victim!.id && e.to === "FAILED",
    )!.at;
    expect(failedAt - suspendedAt).toBeGreaterThanOrEqual(10_000);
    expect(failedAt - suspendedAt).toBeLessThan(40_000);
    const done = events.filter((e) => e.entity === "task" && e.to === "DONE");
    expect(new Set(done.map((e) => e.entityId)).size).toBe(21);
    expect(done).toHaveLength(21);
    // the suspended job was deleted with the pilot
    const deadline = Date.now() + 20_000;
    while (sgeJobsOf(sge.user).some((j) => j.id === victim!.jobId) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    expect(sgeJobsOf(sge.user).map((j) => j.id)).not.toContain(victim!.jobId);
  }, 180_000);
});
