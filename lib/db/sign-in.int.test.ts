import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "./client";
import { attemptSignIn } from "./sign-in";
import { bumpSessionVersion, signUp } from "./users";

// Real SQLite: the throttle rows survive between attempts the way they survive a restart.
const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-signin-")), "em.db")}`);
afterAll(() => db.$disconnect());
const t0 = new Date("2026-12-06T01:00:00Z");
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

describe("sign-in throttling (real SQLite)", () => {
  it("locks an account after 10 failures for 15 minutes, even for the right password, then lets it in", async () => {
    await signUp(db, { email: "victim@x.org", password: "the right one 123" });
    for (let i = 0; i < 9; i++)
      expect(
        await attemptSignIn(
          db,
          { email: "victim@x.org", password: `guess ${i}` },
          `10.0.0.${i}`,
          at(i * 0.5),
        ),
      ).toEqual({ ok: false, lockedUntil: null });
    expect(
      await attemptSignIn(db, { email: "victim@x.org", password: "guess 9" }, "10.0.0.9", at(5)),
    ).toEqual({ ok: false, lockedUntil: at(20) });
    expect(
      await attemptSignIn(db, { email: "Victim@x.org", password: "the right one 123" }, "10.0.1.1", at(10)),
    ).toEqual({ ok: false, lockedUntil: at(20) });
    const after = await attemptSignIn(
      db,
      { email: "victim@x.org", password: "the right one 123" },
      "10.0.1.1",
      at(20),
    );
    expect(after.ok).toBe(true);
    // success cleared the account's counter
    expect(await db.signInThrottle.findUnique({ where: { key: "acct:victim@x.org" } })).toBeNull();
  });

  it("locks an address that sprays many accounts, unknown ones included, and not another address", async () => {
    await signUp(db, { email: "someone@x.org", password: "someone's password" });
    let last = null;
    for (let i = 0; i < 100; i++)
      last = await attemptSignIn(
        db,
        { email: `spray${i}@x.org`, password: "password1" },
        "192.0.2.7",
        at(30 + i * 0.01),
      );
    expect(last).toEqual({ ok: false, lockedUntil: at(30 + 99 * 0.01 + 15) });
    expect(
      await attemptSignIn(
        db,
        { email: "someone@x.org", password: "someone's password" },
        "192.0.2.7",
        at(32),
      ),
    ).toMatchObject({ ok: false });
    expect(
      (
        await attemptSignIn(
          db,
          { email: "someone@x.org", password: "someone's password" },
          "192.0.2.8",
          at(32),
        )
      ).ok,
    ).toBe(true);
  }, 60_000);

  it("returns the session version the token will carry; sign-out bumps it", async () => {
    const r = await attemptSignIn(
      db,
      { email: "someone@x.org", password: "someone's password" },
      null,
      at(60),
    );
    if (!r.ok) throw new Error("sign-in failed");
    await bumpSessionVersion(db, r.user.id);
    const again = await attemptSignIn(
      db,
      { email: "someone@x.org", password: "someone's password" },
      null,
      at(61),
    );
    expect(again.ok && again.user.sessionVersion).toBe(r.user.sessionVersion + 1);
  });
});
