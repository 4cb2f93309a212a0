import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Applies prisma/migrations/* to a SQLite file in-process, on every start.
 * Why not `prisma migrate deploy`: it spawns the CLI (seconds per call), and the CLI must be
 * kept from downloading native engines. This writes the same `_prisma_migrations` bookkeeping
 * (name, sha256 checksum), so `prisma migrate status` and later `migrate deploy` agree with it.
 */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

export function migrationsDir(): string {
  return path.join(process.cwd(), "prisma", "migrations");
}

export function sqliteFileFromUrl(url: string): string {
  if (!url.startsWith("file:"))
    throw new Error(`only file: URLs are SQLite databases (got ${url.split(":")[0]}:)`);
  return path.resolve(url.slice("file:".length));
}

export function migrateSqlite(file: string, dir: string = migrationsDir()): MigrateResult {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(BOOKKEEPING);
    const done = new Set(
      (
        db.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`).all() as {
          migration_name: string;
        }[]
      ).map((r) => r.migration_name),
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
      db.transaction(() => {
        db.exec(sql);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, ?, ?, 1)`,
        ).run(randomUUID(), checksum, new Date().toISOString(), name);
      })();
      applied.push(name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    db.close();
  }
}
