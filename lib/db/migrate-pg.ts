import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { MigrateResult } from "./migrate";

/**
 * Applies prisma/postgres/migrations/* to a PostgreSQL database in-process, as migrateSqlite does
 * for SQLite, with the same `_prisma_migrations` bookkeeping (Prisma's own PostgreSQL column
 * types), so `prisma migrate status --config prisma.pg.config.ts` agrees with it. Several server
 * instances may start at once: the whole pass holds the advisory lock Prisma Migrate itself
 * takes (72707369), so one applies and the others then find everything done. PostgreSQL's DDL is
 * transactional, so a migration and its bookkeeping row commit together or not at all.
 */
const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
const PRISMA_MIGRATE_LOCK = 72707369;

export function pgMigrationsDir(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "postgres", "migrations");
}

export async function migratePostgres(url: string, dir: string = pgMigrationsDir()): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    await client.query(BOOKKEEPING);
    const done = new Set(
      (
        await client.query<{ migration_name: string }>(
          `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
        )
      ).rows.map((r) => r.migration_name),
    );
    const names = readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const applied: string[] = [];
    for (const name of names) {
      if (done.has(name)) continue;
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      applied.push(name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    // ending the session also releases the advisory lock
    await client.end();
  }
}
