import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "./client";
import { checkCredentials, signUp } from "./users";

const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-users-")), "em.db")}`);
afterAll(() => db.$disconnect());

describe("accounts", () => {
  it("the first account is the administrator, later ones are users, each gets `local`", async () => {
    const a = await signUp(db, { email: "Ada@Example.org", password: "correct horse" });
    const b = await signUp(db, { email: "bob@example.org", password: "battery staple" });
    expect(a.ok && a.user.role).toBe("admin");
    expect(a.ok && a.user.email).toBe("ada@example.org");
    expect(b.ok && b.user.role).toBe("user");
    const locals = await db.resource.findMany({ where: { label: "local" } });
    expect(locals).toHaveLength(2);
    expect(locals[0]?.coresPerNode).toBe(os.cpus().length);
  });
  it("a duplicate sign-up says the address is taken", async () => {
    const r = await signUp(db, { email: "ada@example.org", password: "another one" });
    expect(r).toEqual({
      ok: false,
      error: { code: "EMAIL_TAKEN", message: expect.stringMatching(/already exists/) },
    });
  });
  it("bad input gets a field message, not an exception", async () => {
    const long = await signUp(db, { email: `${"x".repeat(300)}@example.org`, password: "longenough" });
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.error.message).toMatch(/too long/);
    const short = await signUp(db, { email: "c@example.org", password: "123" });
    if (!short.ok) expect(short.error.fieldErrors?.password?.[0]).toMatch(/at least 8/);
    expect(short.ok).toBe(false);
  });
  it("checks credentials without saying which part was wrong", async () => {
    expect(await checkCredentials(db, { email: "ada@example.org", password: "correct horse" })).toMatchObject(
      { role: "admin" },
    );
    expect(await checkCredentials(db, { email: "ada@example.org", password: "wrong" })).toBeNull();
    expect(await checkCredentials(db, { email: "nobody@example.org", password: "correct horse" })).toBeNull();
  });
});
