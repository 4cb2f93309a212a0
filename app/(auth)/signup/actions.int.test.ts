import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

// The real action on a real SQLite database (db() reads DATABASE_URL).
beforeAll(() => {
  process.env.DATABASE_URL = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-signup-")), "em.db")}`;
});

describe("sign-up does not reveal whether an address has an account", () => {
  it("answers a taken address exactly as a free one, and changes nothing about the taken account", async () => {
    const { signUpAction } = await import("./actions");
    const { db } = await import("@/lib/db/client");
    const { checkCredentials } = await import("@/lib/db/users");
    await signUpAction({ email: "owner@x.org", name: "", password: "the owner's password" });
    const before = await db().user.findUniqueOrThrow({
      where: { email: "owner@x.org" },
      omit: { passwordHash: false },
    });
    const taken = await signUpAction({
      email: "Owner@x.org",
      name: "Mallory",
      password: "mallory's password",
    });
    const free = await signUpAction({ email: "free@x.org", name: "Mallory", password: "mallory's password" });
    expect(taken).toEqual({ ok: true, value: { email: "owner@x.org" } });
    expect(free).toEqual({ ok: true, value: { email: "free@x.org" } });
    const after = await db().user.findUniqueOrThrow({
      where: { email: "owner@x.org" },
      omit: { passwordHash: false },
    });
    expect(after).toEqual(before);
    expect(await checkCredentials(db(), { email: "owner@x.org", password: "mallory's password" })).toBeNull();
    expect(await db().user.count()).toBe(2);
  });
  it("still tells a person what is wrong with their own input, common passwords included", async () => {
    const { signUpAction } = await import("./actions");
    const r = await signUpAction({ email: "new@x.org", name: "", password: "iloveyou1" });
    expect(r).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", message: expect.stringMatching(/most common/) },
    });
  });
});
