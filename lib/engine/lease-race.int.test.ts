import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { freshPgDatabase } from "../test-support/pg";
import { claimRuns } from "./lease";

// Two engines claiming at the same moment through their own connections (two clients, as two
// server processes have): the compare-and-set on (leaseOwner, leaseUntil) gives every run to
// exactly one of them. On PostgreSQL the losing UPDATE waits for the winner's row lock and then
// re-checks its WHERE against the committed row, so no SELECT … FOR UPDATE SKIP LOCKED is needed.
// PostgreSQL only: several instances need it, and two SQLite clients in one thread only block
// each other (better-sqlite3 waits synchronously for a lock the other cannot release meanwhile).
const url = freshPgDatabase();
const a = openDb(url);
const b = openDb(url, { migrate: false });
afterAll(async () => {
  await a.$disconnect();
  await b.$disconnect();
});

describe("run leases under contention", () => {
  it("every run goes to exactly one of two engines claiming at once, round after round", async () => {
    const u = await a.user.create({ data: { email: "race@x.org", passwordHash: "h" } });
    await a.run.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        userId: u.id,
        name: `r${i}`,
        strategy: "aimes",
        plan: "{}",
        state: "ACTIVE",
      })),
    });
    const t0 = Date.parse("2026-12-01T10:00:00Z");
    for (let round = 0; round < 5; round++) {
      // each round starts after the previous leases ran out, so every run is up for grabs again
      const now = new Date(t0 + round * 20_000);
      const [ma, mb] = await Promise.all([
        claimRuns(a, `engine-a`, now, 10_000),
        claimRuns(b, `engine-b`, now, 10_000),
      ]);
      expect(ma.filter((id) => mb.includes(id))).toEqual([]);
      expect(ma.length + mb.length).toBe(60);
      const owners = await a.run.groupBy({ by: ["leaseOwner"], _count: true });
      expect(Object.fromEntries(owners.map((o) => [o.leaseOwner, o._count]))).toEqual({
        ...(ma.length ? { "engine-a": ma.length } : {}),
        ...(mb.length ? { "engine-b": mb.length } : {}),
      });
    }
  });
});
