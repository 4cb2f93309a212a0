import { getBatchAdapter } from "../batch";
import { open } from "../crypto/secret-box";
import type { Db } from "../db/client";
import { SshPool } from "../transport/pool";
import type { Transport } from "../transport/types";

// One SSH connection per resource and user, shared by the engine, probes and tests of the
// connection; a lease's close() releases it, and an unused connection closes after a minute.
const POOL_KEY = Symbol.for("emanager.sshPool");
const g = globalThis as typeof globalThis & { [POOL_KEY]?: SshPool };
export function sshPool(): SshPool {
  return (g[POOL_KEY] ??= new SshPool());
}

/** A lease on the SSH connection of a stored resource: its decrypted key (or the server's agent) and its pinned host key. */
export async function transportFor(db: Db, resourceId: string, secret: string): Promise<{ transport: Transport; workDir: string; kind: string }> {
  const r = await db.resource.findUnique({ where: { id: resourceId }, include: { credential: { omit: { encryptedKey: false, encryptedPassphrase: false } } } });
  if (!r) throw new Error(`resource ${resourceId} no longer exists`);
  if (!r.host || !r.username) throw new Error(`resource ${r.label} has no host or user`);
  const cred = r.credential;
  const transport = sshPool().lease(`${r.id}:${r.username}`, {
    host: r.host, port: r.port, username: r.username, hostKey: r.hostKey,
    ...(cred?.kind === "key" && cred.encryptedKey ? { privateKey: open(cred.encryptedKey, secret), ...(cred.encryptedPassphrase ? { passphrase: open(cred.encryptedPassphrase, secret) } : {}) } : {}),
    ...(cred?.kind === "agent" || !cred ? { agent: process.env.SSH_AUTH_SOCK } : {}),
  });
  return { transport, workDir: r.workDir ?? "~/emanager", kind: r.kind };
}

export { getBatchAdapter };
