import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encryption at rest for private keys and passphrases: AES-256-GCM with a key derived by
 * HKDF-SHA256 from the server secret and a purpose label. Format `v1:` + base64(iv | tag | ciphertext).
 * A wrong secret or a tampered value fails authentication and says so; it never yields garbage.
 */
export class SecretBoxError extends Error {
  constructor(
    readonly code: "FORMAT" | "AUTH",
    message: string,
  ) {
    super(message);
  }
}

function key(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.from("emanager"), Buffer.from(purpose), 32));
}

export function seal(plain: string, secret: string, purpose = "credentials"): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key(secret, purpose), iv);
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString("base64")}`;
}

export function open(sealed: string, secret: string, purpose = "credentials"): string {
  if (!sealed.startsWith("v1:")) throw new SecretBoxError("FORMAT", "not an EManager v1 sealed value");
  const raw = Buffer.from(sealed.slice(3), "base64");
  if (raw.length < 28) throw new SecretBoxError("FORMAT", "sealed value is truncated");
  const d = createDecipheriv("aes-256-gcm", key(secret, purpose), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("AUTH", "the stored key cannot be decrypted: it was altered, or the server secret changed since it was saved");
  }
}
