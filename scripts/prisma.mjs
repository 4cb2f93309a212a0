#!/usr/bin/env node
// Runs the Prisma CLI with the native engines pointed at a harmless existing file, so it
// uses its JS/WASM engines and never tries to download a binary (README "Database").
//
// One schema source for both databases: prisma/schema.prisma (SQLite) is the only file edited
// by hand. `node scripts/prisma.mjs generate` (the postinstall) also writes
// prisma/postgres/schema.prisma from it (provider postgresql, its client generated into
// node_modules/@emanager/prisma-client-pg) and generates both clients. A Prisma 6 client is bound to
// one provider, so two clients are needed; lib/db/client.ts picks one by the URL's scheme.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = path.join(root, "prisma", "schema.prisma");
export const PG_SCHEMA = path.join(root, "prisma", "postgres", "schema.prisma");

export function prismaEnv(env = process.env) {
  return {
    ...env,
    PRISMA_QUERY_ENGINE_LIBRARY: env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/false",
    PRISMA_SCHEMA_ENGINE_BINARY: env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

export function prisma(args, env) {
  const r = spawnSync("npx", ["--no-install", "prisma", ...args], { stdio: "inherit", env: prismaEnv(env) });
  return r.status ?? 1;
}

/** The PostgreSQL schema text derived from the SQLite one (pure; the test checks the file is current). */
export function pgSchemaText(sqliteText) {
  const swapped = sqliteText
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/url\s*=\s*"file:[^"]*"/, 'url      = "postgresql://unused"')
    // the generated client must not overwrite the SQLite one in node_modules/.prisma/client
    .replace(
      /(engineType\s*=\s*"client")/,
      '$1\n  output          = "../../node_modules/@emanager/prisma-client-pg"',
    );
  if (swapped === sqliteText || !swapped.includes('"postgresql"') || !swapped.includes("prisma-client-pg"))
    throw new Error(
      "prisma/schema.prisma no longer has the datasource/generator lines pgSchemaText rewrites",
    );
  return (
    "// GENERATED from prisma/schema.prisma by scripts/prisma.mjs (npm install runs it). Do not edit:\n" +
    "// change prisma/schema.prisma, run `node scripts/prisma.mjs generate`, then add a migration to\n" +
    '// prisma/migrations and prisma/postgres/migrations (README "Database").\n' +
    swapped
  );
}

export function writePgSchema() {
  mkdirSync(path.dirname(PG_SCHEMA), { recursive: true });
  writeFileSync(PG_SCHEMA, pgSchemaText(readFileSync(SQLITE_SCHEMA, "utf8")));
}

function main(args) {
  if (args.length === 1 && args[0] === "generate") {
    writePgSchema();
    const a = prisma(["generate", "--schema", SQLITE_SCHEMA]);
    return a !== 0 ? a : prisma(["generate", "--schema", PG_SCHEMA]);
  }
  return prisma(args);
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv.slice(2)));
