import { describe, expect, it } from "vitest";
import { open, seal } from "./secret-box";

const S = "s".repeat(40);
describe("secret box", () => {
  it("round-trips, never repeats a ciphertext, and hides the plaintext", () => {
    const k = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n";
    const a = seal(k, S);
    expect(open(a, S)).toBe(k);
    expect(seal(k, S)).not.toBe(a);
    expect(a).not.toContain("OPENSSH");
  });
  it("refuses a wrong secret, another purpose, tampering and garbage with clear errors", () => {
    const a = seal("x", S);
    expect(() => open(a, "t".repeat(40))).toThrow(/cannot be decrypted/);
    expect(() => open(a, S, "other")).toThrow(/cannot be decrypted/);
    const raw = Buffer.from(a.slice(3), "base64");
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => open(`v1:${raw.toString("base64")}`, S)).toThrow(/altered/);
    expect(() => open("plain", S)).toThrow(/not an EManager v1/);
    expect(() => open("v1:AAAA", S)).toThrow(/truncated/);
  });
});
