import { createHash } from "node:crypto";
import type { HostKeyInfo } from "./errors";

/** The key fingerprint exactly as OpenSSH prints it: `SHA256:` + unpadded base64 of sha256(key blob). */
export function sha256Fingerprint(keyBlob: Uint8Array): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** The algorithm named at the start of an SSH public key blob (e.g. `ssh-ed25519`); "unknown" if malformed. */
export function keyAlgorithm(keyBlob: Uint8Array): string {
  const b = Buffer.from(keyBlob.buffer, keyBlob.byteOffset, keyBlob.byteLength);
  if (b.length < 4) return "unknown";
  const n = b.readUInt32BE(0);
  if (n === 0 || n > 64 || 4 + n > b.length) return "unknown";
  const name = b.subarray(4, 4 + n).toString("latin1");
  return /^[a-z0-9@.+-]+$/.test(name) ? name : "unknown";
}

export function hostKeyInfo(keyBlob: Uint8Array): HostKeyInfo {
  return {
    algo: keyAlgorithm(keyBlob),
    key: Buffer.from(keyBlob).toString("base64"),
    fingerprint: sha256Fingerprint(keyBlob),
  };
}

/**
 * A public key line as in `*.pub`, `authorized_keys` or `known_hosts`
 * (`[host]:port algo base64 [comment]`): the key it holds, or null when there is none.
 * The blob must name the same algorithm as the line, as OpenSSH requires.
 */
export function parsePublicKeyLine(line: string): HostKeyInfo | null {
  const words = line.trim().split(/\s+/);
  for (let i = 0; i + 1 < words.length; i++) {
    const algo = words[i] ?? "";
    const b64 = words[i + 1] ?? "";
    if (!/^(ssh|ecdsa|sk)-[a-z0-9@.-]+$/.test(algo) || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) continue;
    const blob = Buffer.from(b64, "base64");
    if (keyAlgorithm(blob) === algo) return hostKeyInfo(blob);
  }
  return null;
}

/**
 * Host key algorithms to offer first when a key of `algo` is pinned, so that a server with
 * several host keys presents the pinned one (an RSA key is negotiated under its SHA-2 names).
 */
export function preferredHostKeyAlgorithms(algo: string): string[] {
  return algo === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [algo];
}
