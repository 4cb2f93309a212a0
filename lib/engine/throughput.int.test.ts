import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createNoopRun, localRun } from "../../scripts/bench/local-run";
import { moveTasksBulk, moveTasksThrough } from "../db/bulk-moves";
import { openDb } from "../db/client";
import { testDbUrl } from "../test-support/pg";

// Many short tasks through the real loop (woken by the agent's writes, prefetch from the
// agent's measured rate, the agent running no-op tasks inline): nothing lost, nothing run
// twice, every task through every state once, and no tick failing on the way.
const CHAIN = [
  "NEW",
  "TMGR_SCHEDULING_PENDING",
  "TMGR_SCHEDULING",
  "TMGR_STAGING_INPUT",
  "AGENT_STAGING_INPUT",
  "AGENT_EXECUTING",
  "AGENT_STAGING_OUTPUT",
  "TMGR_STAGING_OUTPUT",
  "DONE",
];

describe("throughput", () => {
  it("3,000 no-op tasks on a 2-core local pilot: each through every state exactly once", async () => {
    const problems: string[] = [];
    const chains = new Map<string, string[]>();
    const r = await localRun({
      tasks: 3000,
      cores: 2,
      timeoutS: 240,
      databaseUrl: testDbUrl(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-tp-")), "em.db")}`),
      log: (m) => problems.push(m),
      inspect: async (db, runId) => {
        const ev = await db.event.findMany({
          where: { runId, entity: "task" },
          orderBy: { id: "asc" },
          select: { entityId: true, from: true, to: true },
        });
        for (const e of ev) {
          const c = chains.get(e.entityId) ?? [];
          // each event starts where the one before it ended (the first starts from nothing)
          expect(e.from, `${e.entityId}: ${e.from} → ${e.to} after ${c.join(" → ")}`).toBe(
            c[c.length - 1] ?? null,
          );
          c.push(e.to);
          chains.set(e.entityId, c);
        }
      },
    });
    expect(r.state).toBe("DONE");
    expect(r.tasks).toBe(3000);
    expect(chains.size).toBe(3000);
    for (const [id, c] of chains) expect(c, id).toEqual(CHAIN);
    // no tick failed on the way (the pilot's release at the end is logged, and is fine)
    expect(problems.filter((m) => /error|exceed|failed|invalid/i.test(m))).toEqual([]);
  }, 300_000);

  it("moves 2,500 tasks through two states with their exit codes in one call (chunked under the parameter limit)", async () => {
    const db = openDb(
      testDbUrl(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-bulk-")), "em.db")}`),
    );
    try {
      const run = { id: await createNoopRun(db, { tasks: 2500, cores: 1 }) };
      const ids = (await db.task.findMany({ where: { runId: run.id }, select: { id: true } })).map(
        (t) => t.id,
      );
      const at = new Date();
      const moved = await db.$transaction((tx) =>
        moveTasksThrough(tx, {
          runId: run.id,
          from: "NEW",
          via: [{ state: "TMGR_SCHEDULING_PENDING" }],
          to: "CANCELED",
          at,
          ids,
          set: { exitCode: 3 },
        }),
      );
      expect(moved).toHaveLength(2500);
      expect(await db.task.count({ where: { runId: run.id, state: "CANCELED", exitCode: 3 } })).toBe(2500);
      expect(
        await db.event.count({ where: { runId: run.id, entity: "task", to: "TMGR_SCHEDULING_PENDING" } }),
      ).toBe(2500);
      expect(
        await db.event.count({
          where: { runId: run.id, entity: "task", from: "TMGR_SCHEDULING_PENDING", to: "CANCELED" },
        }),
      ).toBe(2500);
      // moved already: a second move finds nothing to move, and writes no event
      const again = await db.$transaction((tx) =>
        moveTasksBulk(tx, { runId: run.id, from: "NEW", to: "TMGR_SCHEDULING_PENDING", at, ids }),
      );
      expect(again).toHaveLength(0);
      expect(await db.event.count({ where: { runId: run.id, entity: "task" } })).toBe(2500 * 3);
    } finally {
      await db.$disconnect();
    }
  }, 120_000);
});
