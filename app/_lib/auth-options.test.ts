import { afterEach, describe, expect, it } from "vitest";
import { authOptions, secureCookiesFor } from "./auth-options";

const saved = { url: process.env.NEXTAUTH_URL, secret: process.env.NEXTAUTH_SECRET };
afterEach(() => {
  for (const [k, v] of [
    ["NEXTAUTH_URL", saved.url],
    ["NEXTAUTH_SECRET", saved.secret],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("session cookie and token", () => {
  it("marks the session cookie Secure exactly when the public URL is https", () => {
    process.env.NEXTAUTH_SECRET = "x".repeat(40);
    process.env.NEXTAUTH_URL = "https://emanager.example.org";
    expect(authOptions().useSecureCookies).toBe(true);
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    expect(authOptions().useSecureCookies).toBe(false);
    expect(secureCookiesFor({ NODE_ENV: "production" })).toBe(false);
  });
  it("puts the session version in the token and the session, and a token without one gets -1 (refused)", async () => {
    process.env.NEXTAUTH_SECRET = "x".repeat(40);
    const cb = authOptions().callbacks!;
    const token = await cb.jwt!({
      token: {},
      user: { id: "u1", role: "user", sv: 3 } as never,
      account: null,
      trigger: "signIn",
    } as never);
    expect(token).toMatchObject({ uid: "u1", role: "user", sv: 3 });
    const s = await cb.session!({
      session: { user: {} as never, expires: "" },
      token,
      user: undefined as never,
      newSession: undefined,
      trigger: "update",
    } as never);
    expect((s as { user: { sv: number } }).user.sv).toBe(3);
    const old = await cb.session!({
      session: { user: {} as never, expires: "" },
      token: { uid: "u1" },
      user: undefined as never,
      newSession: undefined,
      trigger: "update",
    } as never);
    expect((old as { user: { sv: number } }).user.sv).toBe(-1);
  });
});
