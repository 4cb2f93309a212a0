import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { ensureLocalResource } from "../db/resources";
import { localSnapshot } from "../db/plan-inputs";
import { skeletonText } from "../skeleton/test-helpers";
import { launchRun } from "./launch";

// Issue 15: launch refuses a plan the resource cannot take, with the planner's own reason (lib/planner/problems.ts), on real SQLite.
process.env.EMANAGER_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "em-launchp-data-"));
const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-launchp-")), "em.db")}`);
afterAll(() => db.$disconnect());

const now = new Date("2026-12-01T10:00:00Z");
// 9 single-core tasks: the aimes rule asks Σ cores = 9 cores of the one resource
const NINE = skeletonText([{ name: "Stage_1", tasks: 9, length: "uniform 1" }]);

describe("launchRun and plans the resource cannot take", () => {
  it("refuses the aimes plan of 9 cores on a 2-core local, and launches the adaptive one", async () => {
    const u = await db.user.create({ data: { email: "two@x.org", passwordHash: "h" } });
    await ensureLocalResource(db, u.id);
    const local = await db.resource.findFirstOrThrow({ where: { userId: u.id, kind: "local" } });
    const snapshots = [localSnapshot(local.id, local.label, now, 2)];
    const base = {
      userId: u.id,
      name: "nine",
      skeleton: { text: NINE, fileName: "nine.input" },
      seed: 0,
      maxRetries: 1,
      snapshots,
      now,
    };
    const aimes = await launchRun(db, { ...base, plan: { strategy: "aimes", resourceIds: [local.id] } });
    expect(aimes).toEqual({
      ok: false,
      code: "PLAN",
      message: `pilot 1 (${local.label}[local]) asks for 9 cores, but a job in local may have at most 2`,
    });
    expect(await db.run.count({ where: { userId: u.id } })).toBe(0);
    const adaptive = await launchRun(db, {
      ...base,
      plan: { strategy: "adaptive", resourceIds: [local.id] },
    });
    expect(adaptive.ok && adaptive.plan.pilots.map((p) => p.cores)).toEqual([2]);
  });
});
