import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgPrismaClient } from "@emanager/prisma-client-pg";
import { migratePostgres } from "./migrate-pg";
import { CLIENT_OPTIONS } from "./options";

/** `postgres://` and `postgresql://` URLs name a PostgreSQL database; everything else is SQLite. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * The adapter factory Prisma calls on its first query: it migrates first, so `openDb()`/`db()`
 * stay synchronous for both databases (the SQLite migration is synchronous; this one cannot be)
 * and a database that cannot be reached fails that first query with PostgreSQL's own message.
 */
class MigratingPg extends PrismaPg {
  private migrated: Promise<unknown> | null;
  constructor(
    private readonly url: string,
    migrate: boolean,
  ) {
    super({ connectionString: url });
    this.migrated = migrate ? null : Promise.resolve();
  }
  override async connect() {
    this.migrated ??= migratePostgres(this.url);
    await this.migrated;
    return super.connect();
  }
}

/** The PostgreSQL client, generated from the same schema (scripts/prisma.mjs). */
export function createPostgres(url: string, migrate: boolean) {
  return new PgPrismaClient({ adapter: new MigratingPg(url, migrate), omit: CLIENT_OPTIONS.omit });
}

/** A database URL fit for a log line: a PostgreSQL password is replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}
