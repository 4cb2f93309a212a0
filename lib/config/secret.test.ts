import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateSecret, serverSecret } from "./secret";

describe("server secret", () => {
  it("is generated once with mode 0600 and then kept", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "em-secret-"));
    const a = loadOrCreateSecret(dir);
    const b = loadOrCreateSecret(dir);
    expect(a.created).toBe(true);
    expect(b).toEqual({ secret: a.secret, created: false });
    expect(statSync(path.join(dir, "secret")).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, "secret"), "utf8").trim()).toBe(a.secret);
  });
  it("refuses a truncated secret file with a message naming the file", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "em-secret-"));
    writeFileSync(path.join(dir, "secret"), "short");
    expect(() => loadOrCreateSecret(dir)).toThrow(/secret shorter than 32 characters; delete it/);
  });
  it("a server started without a secret says how to fix it", () => {
    expect(() => serverSecret({} as NodeJS.ProcessEnv)).toThrow(/NEXTAUTH_SECRET is not set.*npm start/);
    expect(serverSecret({ NEXTAUTH_SECRET: "x".repeat(40) } as NodeJS.ProcessEnv)).toBe("x".repeat(40));
  });
});
