import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDb } from "./client";
import { migrateSqlite } from "./migrate";

describe("database", () => {
  it("is created and migrated on first open, and migrations are applied once", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "em-db-")), "nested", "em.db");
    const first = migrateSqlite(file);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(migrateSqlite(file)).toEqual({ applied: [], alreadyApplied: first.applied.length });
    const client = openDb(`file:${file}`);
    const u = await client.user.create({ data: { email: "a@b.c", passwordHash: "h" } });
    const read = await client.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(read.email).toBe("a@b.c");
    expect("passwordHash" in read).toBe(false);
    await client.$disconnect();
  });
});
