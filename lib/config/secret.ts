import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "./paths";

/**
 * The server secret signs sessions (NEXTAUTH_SECRET) and derives the key that encrypts
 * private keys at rest. A fresh install has none: it is generated once and kept in
 * <data>/secret (mode 0600). Losing it logs everyone out and makes stored keys unreadable,
 * which is why it lives beside the database and is backed up with it.
 */
export function loadOrCreateSecret(dir: string = dataDir()): { secret: string; created: boolean } {
  const file = path.join(dir, "secret");
  if (existsSync(file)) {
    const secret = readFileSync(file, "utf8").trim();
    if (secret.length < 32)
      throw new Error(`${file} holds a secret shorter than 32 characters; delete it to generate a new one`);
    return { secret, created: false };
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return { secret, created: true };
}

/** The secret the running server uses; a clear error when it was started without one. */
export function serverSecret(env: NodeJS.ProcessEnv = process.env): string {
  const s = env.NEXTAUTH_SECRET;
  if (!s || s.length < 32) {
    throw new Error(
      "NEXTAUTH_SECRET is not set (or shorter than 32 characters). Start EManager with `npm start`, " +
        "which generates one in the data directory, or set NEXTAUTH_SECRET yourself.",
    );
  }
  return s;
}
