// Prisma CLI configuration: JavaScript engines only, so the CLI never downloads a native
// engine (this machine and CI have no route to Prisma's binary host). See README "Database".
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseUrl } from "./lib/config/paths";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => new PrismaBetterSQLite3({ url: databaseUrl() }),
});
