import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { z } from "zod";
import { clusterDir } from "../../scripts/cluster/cluster-info";

/**
 * Real PostgreSQL for the tests: the loopback server of scripts/cluster/pg-up.sh (through
 * `ensure.mjs --pg`, as sge.ts does for Grid Engine), and a fresh database per test file.
 * A machine that cannot have it fails the tests with the script's reason, never skips them.
 */
export const ZPgInfo = z.object({
  version: z.literal(1),
  host: z.string().min(1),
  port: z.number().int().positive(),
  user: z.string().min(1),
  password: z.string().min(1),
  database: z.string().min(1),
  url: z.string().startsWith("postgresql://"),
});
export type PgInfo = z.infer<typeof ZPgInfo>;

let info: PgInfo | null = null;
export function ensurePg(): PgInfo {
  if (info) return info;
  const script = path.resolve(process.cwd(), "scripts/cluster/ensure.mjs");
  const r = spawnSync("node", [script, "--pg"], { encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(
      `the loopback PostgreSQL is not available (ensure.mjs --pg exit ${r.status ?? r.signal}): ${`${r.stdout}${r.stderr}`.trim()}`,
    );
  const file = path.join(clusterDir(), "pg.json");
  const parsed = ZPgInfo.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${file} is not what scripts/cluster/pg-up.sh writes: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  info = parsed.data;
  return info;
}

/** One SQL statement through psql as the `emanager` role (synchronous: module-level openDb needs it). */
function psql(pg: PgInfo, sql: string): string {
  const r = spawnSync("psql", [pg.url, "-v", "ON_ERROR_STOP=1", "-qtAc", sql], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`psql ${JSON.stringify(sql)}: ${r.stderr.trim() || r.error?.message}`);
  return r.stdout;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A new, empty database `emtest_<pid>_<random>` and its URL; the client migrates it on first use.
 * Called while the test file is collected (module level), it is dropped after the file's tests
 * (WITH (FORCE): the file's own client may still be connected). Vitest ignores an afterAll
 * registered from inside a hook and ends its workers without an `exit` event, so databases left
 * that way (and by killed runs) are dropped by a later call, once their process is gone.
 */
export function freshPgDatabase(owner: number = process.pid): string {
  const pg = ensurePg();
  for (const name of psql(pg, "SELECT datname FROM pg_database WHERE datname LIKE 'emtest\\_%'").split(
    "\n",
  )) {
    const pid = Number(/^emtest_(\d+)_/.exec(name.trim())?.[1]);
    if (pid && !alive(pid))
      try {
        psql(pg, `DROP DATABASE IF EXISTS "${name.trim()}" WITH (FORCE)`);
      } catch {
        // still in use by a session this role may not end: the next sweep tries again
      }
  }
  const name = `emtest_${owner}_${randomBytes(4).toString("hex")}`;
  psql(pg, `CREATE DATABASE "${name}"`);
  // outside vitest (the database bench) the sweep of a later call drops it
  if (process.env.VITEST)
    afterAll(() => {
      try {
        psql(pg, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } catch (e: unknown) {
        // a clean-up, not a test: what is left is dropped by a later call's sweep, once this
        // process has gone
        console.warn(`[pg] ${name} left for the next sweep: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  const url = new URL(pg.url);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The database a test file uses: `fileUrl` (SQLite) by default, a fresh PostgreSQL database when
 * EMANAGER_TEST_DB=pg (scripts/test-all.mjs runs a set of engine suites a second time so).
 */
export function testDbUrl(fileUrl: string): string {
  const which = process.env.EMANAGER_TEST_DB ?? "sqlite";
  if (which === "pg") return freshPgDatabase();
  if (which !== "sqlite") throw new Error(`EMANAGER_TEST_DB must be sqlite or pg (got ${which})`);
  return fileUrl;
}
