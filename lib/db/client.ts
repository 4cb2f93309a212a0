import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { databaseUrl } from "../config/paths";
import { migrateSqlite, sqliteFileFromUrl } from "./migrate";
import { CLIENT_OPTIONS } from "./options";
import { createPostgres, isPostgresUrl } from "./postgres";

/**
 * One Prisma client per process (kept on globalThis so Next's dev reloads do not open a
 * new database handle each time). The database is migrated on first use: a SQLite file is
 * created and migrated here, a PostgreSQL database (`postgres://`/`postgresql://`, created
 * beforehand) before its first query (lib/db/postgres.ts). Secrets are omitted from every
 * query unless a caller asks for them explicitly (lib/db/options.ts).
 */
function createSqlite(url: string, migrate: boolean) {
  if (migrate) migrateSqlite(sqliteFileFromUrl(url));
  const adapter = new PrismaBetterSQLite3({ url });
  return new PrismaClient({ adapter, omit: CLIENT_OPTIONS.omit });
}

export type Db = ReturnType<typeof createSqlite>;

/**
 * Prisma binds a generated client to one provider, so PostgreSQL has a second client class
 * (same schema, scripts/prisma.mjs). Its model API is the SQLite client's plus PostgreSQL-only
 * options the code never uses, hence this one cast: every caller keeps the single `Db` type and
 * nothing outside lib/db knows which database it has.
 */
function create(url: string, migrate = true): Db {
  return isPostgresUrl(url) ? (createPostgres(url, migrate) as unknown as Db) : createSqlite(url, migrate);
}

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
