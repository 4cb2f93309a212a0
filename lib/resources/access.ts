import { getBatchAdapter } from "../batch";
import { open } from "../crypto/secret-box";
import type { Db } from "../db/client";
import { agentDecision } from "../auth/agent-policy";
import { SshPool } from "../transport/pool";
import { TransportError, type Transport } from "../transport/types";

// One SSH connection per resource and user, shared by the engine, probes and tests of the
// connection; a lease's close() releases it, and an unused connection closes after a minute.
const POOL_KEY = Symbol.for("emanager.sshPool");
const g = globalThis as typeof globalThis & { [POOL_KEY]?: SshPool };
export function sshPool(): SshPool {
  return (g[POOL_KEY] ??= new SshPool());
}

/**
 * A lease on the SSH connection of a stored resource: its decrypted key, or the server's
 * ssh-agent when it has none and its owner may use the agent (lib/auth/agent-policy.ts; otherwise
 * an AUTH TransportError saying why), and its pinned host key.
 */
export async function transportFor(
  db: Db,
  resourceId: string,
  secret: string,
): Promise<{ transport: Transport; workDir: string; kind: string }> {
  const r = await db.resource.findUnique({
    where: { id: resourceId },
    include: {
      credential: { omit: { encryptedKey: false, encryptedPassphrase: false } },
      user: { select: { role: true, sshAgentAllowed: true } },
    },
  });
  if (!r) throw new Error(`resource ${resourceId} no longer exists`);
  if (!r.host || !r.username) throw new Error(`resource ${r.label} has no host or user`);
  const cred = r.credential;
  const target = `${r.username}@${r.host}:${r.port}`;
  let auth: { privateKey: string; passphrase?: string } | { agent: string };
  if (cred?.kind === "key" && cred.encryptedKey) {
    auth = {
      privateKey: open(cred.encryptedKey, secret),
      ...(cred.encryptedPassphrase ? { passphrase: open(cred.encryptedPassphrase, secret) } : {}),
    };
  } else {
    const d = agentDecision(r.user, process.env.SSH_AUTH_SOCK, target);
    if (!d.ok) throw new TransportError("AUTH", d.message, { target });
    auth = { agent: d.socket };
  }
  const transport = sshPool().lease(`${r.id}:${r.username}`, {
    host: r.host,
    port: r.port,
    username: r.username,
    hostKey: r.hostKey,
    ...auth,
  });
  return { transport, workDir: r.workDir ?? "~/emanager", kind: r.kind };
}

export { getBatchAdapter };
