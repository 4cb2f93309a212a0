import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { databaseUrl } from "../config/paths";
import { migrateSqlite, sqliteFileFromUrl } from "./migrate";

/**
 * One Prisma client per process (kept on globalThis so Next's dev reloads do not open a
 * new SQLite handle each time). The database is created and migrated on first use.
 * Secrets are omitted from every query unless a caller asks for them explicitly.
 */
function create(url: string, migrate = true): PrismaClient {
  if (migrate) migrateSqlite(sqliteFileFromUrl(url));
  const adapter = new PrismaBetterSQLite3({ url });
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, credential: { encryptedKey: true, encryptedPassphrase: true } },
  });
}

export type Db = ReturnType<typeof create>;

const g = globalThis as unknown as { __emanagerDb?: { url: string; client: Db } };

export function db(): Db {
  const url = databaseUrl();
  if (!g.__emanagerDb || g.__emanagerDb.url !== url) g.__emanagerDb = { url, client: create(url) };
  return g.__emanagerDb.client;
}

/**
 * A separate client for a given URL (tests, the CLI, worker threads): migrated unless told not to
 * (a worker thread reads a database its server has migrated already), not shared.
 */
export function openDb(url: string, opts: { migrate?: boolean } = {}): Db {
  return create(url, opts.migrate ?? true);
}
