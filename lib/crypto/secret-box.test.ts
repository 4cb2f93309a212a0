import { createDecipheriv, hkdfSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SecretBoxError, isSealed, open, seal } from "./secret-box";

const S = "s".repeat(43);
const KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n";

function code(f: () => unknown): string {
  try {
    f();
  } catch (e: unknown) {
    if (e instanceof SecretBoxError) return e.code;
    throw e;
  }
  return "no error";
}

describe("secret box", () => {
  it("round-trips any string, with a fresh IV every time, hiding the plaintext", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => open(seal(s, S), S) === s));
    const a = seal(KEY, S);
    expect(open(a, S)).toBe(KEY);
    expect(seal(KEY, S)).not.toBe(a);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toContain("OPENSSH");
    expect(isSealed(a)).toBe(true);
  });

  it("is AES-256-GCM under HKDF-SHA256(secret, salt, purpose): iv | tag | ciphertext", () => {
    const raw = Buffer.from(seal("hello", S, "passphrases").slice(3), "base64");
    expect(raw.length).toBe(12 + 16 + 5);
    const key = Buffer.from(
      hkdfSync("sha256", Buffer.from(S), Buffer.from("emanager"), Buffer.from("passphrases"), 32),
    );
    const d = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    expect(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString()).toBe("hello");
  });

  it("refuses a wrong secret and another purpose as UNAUTHENTIC, with a message a user can act on", () => {
    const a = seal("x", S);
    expect(code(() => open(a, "t".repeat(43)))).toBe("UNAUTHENTIC");
    expect(code(() => open(a, S, "other"))).toBe("UNAUTHENTIC");
    expect(() => open(a, "t".repeat(43))).toThrow(/altered, or the server secret changed/);
  });

  it("detects any single altered byte", () => {
    const a = seal("a private key", S);
    const raw = Buffer.from(a.slice(3), "base64");
    for (let i = 0; i < raw.length; i++) {
      const bad = Buffer.from(raw);
      bad[i] = bad[i]! ^ 0x01;
      expect(code(() => open(`v1:${bad.toString("base64")}`, S))).toBe("UNAUTHENTIC");
    }
  });

  it("refuses malformed values and weak secrets with their own codes", () => {
    expect(code(() => open("plain text", S))).toBe("MALFORMED");
    expect(code(() => open("v2:AAAA", S))).toBe("MALFORMED");
    expect(() => open("v2:AAAA", S)).toThrow(/format v2/);
    expect(code(() => open("v1:AAAA", S))).toBe("MALFORMED");
    expect(code(() => open("v1:!!notbase64!!", S))).toBe("MALFORMED");
    expect(code(() => open(seal("x", S).slice(0, -4), S))).not.toBe("no error");
    expect(code(() => seal("x", "short"))).toBe("BAD_SECRET");
    expect(code(() => seal("x", S, ""))).toBe("BAD_SECRET");
    expect(isSealed("v1:AAAA")).toBe(false);
  });
});
