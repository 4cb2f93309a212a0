import { createHash } from "node:crypto";

/** The host key fingerprint exactly as OpenSSH prints it: `SHA256:` + unpadded base64 of sha256(key blob). */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** The algorithm name at the start of an SSH public key blob (e.g. `ssh-ed25519`). */
export function keyAlgorithm(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const n = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + n).toString("ascii");
}
