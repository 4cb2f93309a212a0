import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { moveTasksBulk } from "../db/bulk-moves";
import { openDb } from "../db/client";
import { readEvents } from "../db/events";
import { DEFAULT_TASK_LIMIT } from "../db/task-limits";
import type { RunEvent } from "../model/event";
import type { ExecutionStrategy } from "../planner";
import { skeletonText } from "../skeleton/test-helpers";
import { computeStats } from "../stats/metrics";
import { launchRun } from "./launch";

// Issue 13: launching a 200,000-task skeleton (the default per-account limit, the largest the
// server accepts by default) answered 500 `Maximum call stack size exceeded`. Real SQLite here:
// launch, one bulk move of every task, and the statistics of the stored events.
const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-launch-big-")), "em.db")}`);
afterAll(() => db.$disconnect());

const N = DEFAULT_TASK_LIMIT;

describe("launching the largest skeleton the server accepts by default", () => {
  it(`launches ${N.toLocaleString("en")} tasks, moves them all at once and computes the run's statistics`, async () => {
    const user = await db.user.create({ data: { email: "big@x.org", passwordHash: "h" } });
    const res = await db.resource.create({ data: { userId: user.id, label: "local", kind: "local" } });
    const plan: ExecutionStrategy = {
      strategy: "adaptive",
      binding: "late",
      scheduler: "direct",
      predictedTtcSeconds: 1,
      assumptions: [],
      trail: [],
      rejected: [],
      warnings: [],
      pilots: [
        {
          resourceId: res.id,
          resource: "local",
          queue: null,
          cores: 2,
          nodes: 1,
          walltimeMinutes: 60,
          project: null,
        },
      ],
    };
    const text = skeletonText([
      { name: "Stage_1", tasks: N / 2, processes: 2 },
      { name: "Stage_2", tasks: N / 2, inputs: [["Source = Stage_1.Output_1"]] },
    ]);
    const now = new Date("2026-12-06T00:00:00Z");
    const input = {
      userId: user.id,
      name: "big",
      skeleton: { text, fileName: "big.conf" },
      seed: 0,
      maxRetries: 0,
      plan,
      snapshots: [],
      now,
    };

    const over = await launchRun(db, {
      ...input,
      skeleton: {
        text: text.replace(`Num_Tasks = ${N / 2}`, `Num_Tasks = ${N / 2 + 1}`),
        fileName: "big.conf",
      },
    });
    expect(over).toMatchObject({ ok: false, code: "TASK_LIMIT" });

    const narrow = await launchRun(db, {
      ...input,
      plan: { ...plan, pilots: [{ ...plan.pilots[0]!, cores: 1 }] },
    });
    expect(narrow).toMatchObject({
      ok: false,
      code: "PLAN",
      message: "a task needs 2 cores but no pilot has that many",
    });

    const r = await launchRun(db, input);
    if (!r.ok) throw new Error(r.message);
    expect(await db.task.count({ where: { runId: r.runId } })).toBe(N);

    const ids = (await db.task.findMany({ where: { runId: r.runId }, select: { id: true } })).map(
      (t) => t.id,
    );
    const moved = await db.$transaction(
      (tx) => moveTasksBulk(tx, { runId: r.runId, from: "NEW", to: "TMGR_SCHEDULING_PENDING", at: now, ids }),
      { timeout: 120_000 },
    );
    expect(moved).toHaveLength(N);

    const events: RunEvent[] = [];
    for (let after = 0; ;) {
      const page = await readEvents(db, r.runId, after, 50_000);
      for (const e of page) events.push(e);
      if (page.length < 50_000) break;
      after = page[page.length - 1]!.seq;
    }
    expect(events.length).toBeGreaterThanOrEqual(2 * N);
    const st = computeStats(events);
    expect(st.counts.total).toBe(N);
  }, 300_000);
});
