import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { testDbUrl } from "../test-support/pg";
import { claimRuns, releaseRun } from "./lease";

const db = openDb(testDbUrl(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-lease-")), "em.db")}`));
afterAll(() => db.$disconnect());

describe("run leases", () => {
  it("one engine at a time; a dead engine's runs are adopted after the lease expires", async () => {
    const u = await db.user.create({ data: { email: "l@x.org", passwordHash: "h" } });
    const run = await db.run.create({
      data: { userId: u.id, name: "r", strategy: "aimes", plan: "{}", state: "ACTIVE" },
    });
    const t0 = new Date("2026-11-24T10:00:00Z");
    expect(await claimRuns(db, "engine-a", t0, 10_000)).toEqual([run.id]);
    expect(await claimRuns(db, "engine-b", new Date(t0.getTime() + 5_000), 10_000)).toEqual([]);
    expect(await claimRuns(db, "engine-a", new Date(t0.getTime() + 5_000), 10_000)).toEqual([run.id]);
    // engine-a dies (no more renewals); after its lease runs out engine-b adopts the run
    expect(await claimRuns(db, "engine-b", new Date(t0.getTime() + 14_000), 10_000)).toEqual([]);
    expect(await claimRuns(db, "engine-b", new Date(t0.getTime() + 16_000), 10_000)).toEqual([run.id]);
    await releaseRun(db, "engine-b", run.id);
    expect(await claimRuns(db, "engine-c", new Date(t0.getTime() + 17_000), 10_000)).toEqual([run.id]);
    await db.run.update({ where: { id: run.id }, data: { state: "DONE" } });
    expect(await claimRuns(db, "engine-c", new Date(t0.getTime() + 18_000), 10_000)).toEqual([]);
  });
});
