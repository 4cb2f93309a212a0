// Prisma CLI configuration for PostgreSQL (prisma/postgres/schema.prisma, generated from
// prisma/schema.prisma by scripts/prisma.mjs): JavaScript engines only, as prisma.config.ts.
// `node scripts/prisma.mjs --config prisma.pg.config.ts migrate diff ...` with DATABASE_URL set.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/postgres/schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "" }),
});
