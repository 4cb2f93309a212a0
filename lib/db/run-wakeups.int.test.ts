import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freshPgDatabase } from "../test-support/pg";
import { pgRunWakeups, RUN_CHANNEL } from "./run-wakeups";

// The cross-instance wake-ups on the loopback PostgreSQL: delivered to the other connection, not
// echoed to the sender, and back after the listening connection is killed under it.
const URL_ = freshPgDatabase();
const a = pgRunWakeups(URL_);
const b = pgRunWakeups(URL_);
afterAll(async () => {
  await a.close();
  await b.close();
});

function next(w: typeof b, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(null), ms);
    w.listen((id) => {
      clearTimeout(t);
      resolve(id);
    });
  });
}

describe("PostgreSQL wake-ups", () => {
  it("reach the other instance, not the sender, and survive a killed connection", async () => {
    const gotA: string[] = [];
    a.listen((id) => gotA.push(id));
    await Promise.all([a.ready(), b.ready()]);
    const got = next(b, 3000);
    a.notify("run-1");
    expect(await got).toBe("run-1");
    expect(gotA).toEqual([]);

    // an administrator (or a failover) ends b's session: b reconnects and listens again
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
      [`LISTEN ${RUN_CHANNEL}`],
    );
    await admin.end();
    expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    const deadline = Date.now() + 10_000;
    let back: string | null = null;
    while (!back && Date.now() < deadline) {
      const p = next(b, 500);
      a.notify("run-2");
      back = await p;
    }
    expect(back).toBe("run-2");
  });
});
