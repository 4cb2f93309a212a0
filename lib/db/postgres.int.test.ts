import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { openDb } from "./client";
import { migrateSqlite } from "./migrate";
import { migratePostgres } from "./migrate-pg";
import { freshPgDatabase } from "../test-support/pg";

// The PostgreSQL path of lib/db on the loopback server (scripts/cluster/pg-up.sh): migrated on the
// first query, the same bookkeeping as SQLite, idempotent, and safe when two instances start at once.
// made while the file is collected, so both are dropped after it
const FIRST = freshPgDatabase();
const SECOND = freshPgDatabase();

describe("PostgreSQL database", () => {
  it("is migrated before the first query and works through the one Db type", async () => {
    const url = FIRST;
    const db = openDb(url);
    try {
      const u = await db.user.create({ data: { email: "pg@x.org", passwordHash: "secret" } });
      expect(u).not.toHaveProperty("passwordHash");
      expect(await db.user.count()).toBe(1);
      // a second pass finds every migration applied
      const again = await migratePostgres(url);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBeGreaterThan(0);
    } finally {
      await db.$disconnect();
    }
  });

  it("applies each migration once when two instances start at the same moment", async () => {
    const url = SECOND;
    const [a, b] = await Promise.all([migratePostgres(url), migratePostgres(url)]);
    // one of them applied everything, the other waited for the lock and found it done
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, a.applied.length + b.applied.length]);
    expect(a.applied.length + b.applied.length).toBeGreaterThan(0);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = (await c.query(`SELECT migration_name FROM "_prisma_migrations"`)).rows;
    await c.end();
    expect(rows.length).toBe(a.applied.length + b.applied.length);
  });

  it("has the same tables and columns as the SQLite database (both migration sets are complete)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "em-pgcmp-"));
    migrateSqlite(path.join(dir, "em.db"));
    const lite = new Database(path.join(dir, "em.db"), { readonly: true });
    const liteCols = (
      lite
        .prepare(
          `SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
           WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
        )
        .all() as { t: string; c: string }[]
    ).map((r) => `${r.t}.${r.c}`);
    lite.close();
    const c = new pg.Client({ connectionString: SECOND });
    await c.connect();
    const pgCols = (
      await c.query<{ t: string; c: string }>(
        `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`,
      )
    ).rows.map((r) => `${r.t}.${r.c}`);
    await c.end();
    expect(pgCols.sort()).toEqual(liteCols.sort());
  });
});
