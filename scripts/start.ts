/**
 * `npm start`: sets up and starts EManager on its embedded defaults.
 * 1. the data directory, the server secret (generated once) and the database (migrated: SQLite,
 *    or PostgreSQL when DATABASE_URL says so);
 * 2. a production build when the sources are newer than the last one;
 * 3. one process: `next start`, whose instrumentation hook starts the engine.
 * Everything is configured through environment variables (README "Configuration").
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { dataDir, databaseUrl } from "../lib/config/paths";
import { loadOrCreateSecret } from "../lib/config/secret";
import { migrateSqlite, sqliteFileFromUrl } from "../lib/db/migrate";
import { migratePostgres } from "../lib/db/migrate-pg";
import { isPostgresUrl, redactDatabaseUrl } from "../lib/db/postgres";

const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "types",
  "next.config.ts",
  "proxy.ts",
  "instrumentation.ts",
  "package-lock.json",
];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

export function buildIsStale(root: string): boolean {
  const id = path.join(root, process.env.EMANAGER_DIST_DIR ?? ".next", "BUILD_ID");
  if (!existsSync(id)) return true;
  const built = statSync(id).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

async function main(): Promise<void> {
  const root = process.cwd();
  const port = process.env.PORT ?? "3000";
  const host = process.env.EMANAGER_HOST ?? "127.0.0.1";
  const dir = dataDir();
  const { secret, created } = loadOrCreateSecret(dir);
  console.log(`[emanager] data directory ${dir}${created ? " (new secret generated)" : ""}`);
  const url = databaseUrl();
  // migrated here, before the build and the server: a database that cannot be reached or
  // migrated stops the start with its reason instead of failing the first request
  const m = await (
    isPostgresUrl(url)
      ? migratePostgres(url)
      : Promise.resolve().then(() => migrateSqlite(sqliteFileFromUrl(url)))
  ).catch((e: unknown) => {
    throw new Error(
      `the database ${redactDatabaseUrl(url)} cannot be opened and migrated: ${e instanceof Error ? e.message : String(e)}`,
    );
  });
  console.log(
    `[emanager] database ${redactDatabaseUrl(url)} (${m.applied.length ? `applied ${m.applied.join(", ")}` : "up to date"})`,
  );
  if (process.env.EMANAGER_SKIP_BUILD !== "1" && buildIsStale(root)) {
    console.log("[emanager] building the web application (first start or sources changed)…");
    const b = spawnSync("npx", ["--no-install", "next", "build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (b.status !== 0) {
      console.error("[emanager] the build failed; see the messages above.");
      process.exit(b.status ?? 1);
    }
  }
  const publicUrl = process.env.NEXTAUTH_URL ?? `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
  const env = {
    ...process.env,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secret,
    NEXTAUTH_URL: publicUrl,
    EMANAGER_DATA_DIR: dir,
    DATABASE_URL: url,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  console.log(`[emanager] serving ${publicUrl} (engine starts with the server)`);
  const child = spawn("npx", ["--no-install", "next", "start", "-p", port, "-H", host], {
    stdio: "inherit",
    env,
  });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

main().catch((e: unknown) => {
  console.error(`[emanager] cannot start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
