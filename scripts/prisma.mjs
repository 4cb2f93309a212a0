#!/usr/bin/env node
// Runs the Prisma CLI with the native engines pointed at a harmless existing file, so it
// uses its JS/WASM engines and never tries to download a binary (README "Database").
import { spawnSync } from "node:child_process";

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

if (import.meta.url === `file://${process.argv[1]}`) process.exit(prisma(process.argv.slice(2)));
