import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encryption at rest for private keys and passphrases. AES-256-GCM under a key derived with
 * HKDF-SHA256 from the server secret and a purpose label, so one secret yields unrelated keys
 * for unrelated uses. Format: `v1:` + base64(iv[12] | tag[16] | ciphertext). A wrong secret,
 * another purpose or any altered byte fails GCM authentication and says so: never garbage.
 */
export type SecretBoxErrorCode =
  | "MALFORMED" // not a sealed value of a format this server reads
  | "UNAUTHENTIC" // authentication failed: altered, or sealed under another secret or purpose
  | "BAD_SECRET"; // the server secret is too short to derive a key from

export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const VERSION = "v1:";
const IV_BYTES = 12; // GCM's standard nonce size; random per seal
const TAG_BYTES = 16;
/** HKDF salt: fixed, separates EManager's keys from other uses of the secret. Part of v1: values already stored depend on it. */
const SALT = Buffer.from("emanager");
const MIN_SECRET_CHARS = 32; // as lib/config/secret.ts requires of the server secret

export const DEFAULT_PURPOSE = "credentials";

function deriveKey(secret: string, purpose: string): Buffer {
  if (secret.length < MIN_SECRET_CHARS)
    throw new SecretBoxError(
      "BAD_SECRET",
      `the server secret must have at least ${MIN_SECRET_CHARS} characters to encrypt stored keys`,
    );
  if (!purpose) throw new SecretBoxError("BAD_SECRET", "a purpose label is required to derive the key");
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), SALT, Buffer.from(purpose, "utf8"), 32));
}

/** Encrypts `plain` (any string); every call gives a different value, as the IV is random. */
export function seal(plain: string, secret: string, purpose: string = DEFAULT_PURPOSE): string {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv("aes-256-gcm", deriveKey(secret, purpose), iv);
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return VERSION + Buffer.concat([iv, c.getAuthTag(), body]).toString("base64");
}

/** Decrypts a value from `seal`, or throws a SecretBoxError saying why it cannot. */
export function open(sealed: string, secret: string, purpose: string = DEFAULT_PURPOSE): string {
  const raw = parse(sealed);
  const d = createDecipheriv("aes-256-gcm", deriveKey(secret, purpose), raw.subarray(0, IV_BYTES));
  d.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([d.update(raw.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError(
      "UNAUTHENTIC",
      "the stored secret cannot be decrypted: it was altered, or the server secret changed since it was saved (then the credential must be entered again)",
    );
  }
}

/** Whether a value looks sealed (format only; `open` is what proves it). */
export function isSealed(value: string): boolean {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

function parse(sealed: string): Buffer {
  const m = /^v(\d+):/.exec(sealed);
  if (!m) throw new SecretBoxError("MALFORMED", "not an EManager sealed value (expected `v1:` and base64)");
  if (`v${m[1]}:` !== VERSION)
    throw new SecretBoxError(
      "MALFORMED",
      `sealed with format v${m[1]}, which this server does not read (it reads v1); was it written by a newer EManager?`,
    );
  const b64 = sealed.slice(VERSION.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0)
    throw new SecretBoxError("MALFORMED", "the sealed value is not valid base64 (cut or altered?)");
  const raw = Buffer.from(b64, "base64");
  if (raw.length < IV_BYTES + TAG_BYTES)
    throw new SecretBoxError("MALFORMED", "the sealed value is truncated");
  return raw;
}
