import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PG_SCHEMA, SQLITE_SCHEMA, pgSchemaText } from "./prisma.mjs";

// One schema source: the PostgreSQL schema is derived from the SQLite one, never edited by hand.
describe("prisma/postgres/schema.prisma", () => {
  it("is the one generated from prisma/schema.prisma (run `node scripts/prisma.mjs generate`)", () => {
    const fromSource = pgSchemaText(readFileSync(SQLITE_SCHEMA, "utf8"));
    expect(readFileSync(PG_SCHEMA, "utf8")).toBe(fromSource);
    expect(fromSource).toContain('provider = "postgresql"');
  });
});
