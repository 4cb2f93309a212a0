import { createHash } from "node:crypto";
import { TransportError } from "./errors";
import { SshTransport, type SshOptions } from "./ssh";
import type { ExecOptions, ExecResult, FileStat, ReadOptions, Transport, WriteOptions } from "./types";

/**
 * One SSH connection per key (the caller's choice; EManager uses `${resourceId}:${username}`),
 * shared by every lease on it. `lease.close()` only releases; the connection closes once it has
 * been unused for `idleMs`. When a key comes back with different options (new host key pin,
 * new credential, new port), the old connection is retired: it closes once its leases are gone,
 * and new leases get a fresh connection.
 */
export interface PoolEntry {
  transport: Transport;
  signature: string;
  leases: number;
  idleTimer: ReturnType<typeof setTimeout> | null;
}

export interface SshPoolOptions {
  /** how long an unused connection stays open, ms (default 60 000) */
  idleMs?: number;
  /** makes the transport for an entry (tests inject a fake) */
  create?: (o: SshOptions) => Transport;
}

/** What identifies a connection's configuration; secrets enter only as a digest. */
export function optionsSignature(o: SshOptions): string {
  const h = createHash("sha256");
  for (const v of [
    o.host,
    String(o.port),
    o.username,
    o.hostKey ?? "",
    o.agent ?? "",
    o.passphrase ?? "",
    o.privateKey?.toString() ?? "",
    String(o.trustOnFirstUse ?? false),
  ]) {
    h.update(v).update("\0");
  }
  return h.digest("hex");
}

export class SshPool {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly retired = new Set<PoolEntry>();
  private readonly idleMs: number;
  private readonly create: (o: SshOptions) => Transport;

  constructor(o: SshPoolOptions = {}) {
    this.idleMs = o.idleMs ?? 60_000;
    this.create = o.create ?? ((opts) => new SshTransport(opts));
  }

  /** Open connections, retired ones still draining included. */
  get size(): number {
    return this.entries.size + this.retired.size;
  }

  /** A lease on the connection for `key`; close the lease when done with it. */
  lease(key: string, options: SshOptions): Transport {
    const signature = optionsSignature(options);
    let e = this.entries.get(key);
    if (e && e.signature !== signature) {
      this.entries.delete(key);
      this.retire(e);
      e = undefined;
    }
    if (!e) {
      e = { transport: this.create(options), signature, leases: 0, idleTimer: null };
      this.entries.set(key, e);
    }
    if (e.idleTimer) clearTimeout(e.idleTimer);
    e.idleTimer = null;
    e.leases += 1;
    return leaseOf(e, () => this.release(key, e));
  }

  private retire(e: PoolEntry): void {
    if (e.idleTimer) clearTimeout(e.idleTimer);
    if (e.leases === 0) void e.transport.close();
    else this.retired.add(e);
  }

  private release(key: string, e: PoolEntry): void {
    e.leases -= 1;
    if (e.leases > 0) return;
    if (this.retired.delete(e)) {
      void e.transport.close();
      return;
    }
    e.idleTimer = setTimeout(() => {
      if (this.entries.get(key) === e && e.leases === 0) {
        this.entries.delete(key);
        void e.transport.close();
      }
    }, this.idleMs);
    e.idleTimer.unref();
  }

  /** Closes every connection now (server shutdown, tests). Existing leases fail afterwards. */
  async closeAll(): Promise<void> {
    const all = [...this.entries.values(), ...this.retired];
    this.entries.clear();
    this.retired.clear();
    for (const e of all) if (e.idleTimer) clearTimeout(e.idleTimer);
    await Promise.all(all.map((e) => e.transport.close()));
  }
}

function leaseOf(e: PoolEntry, release: () => void): Transport {
  let released = false;
  const t = e.transport;
  // A released lease refuses further calls: using it would keep a connection the pool may close.
  const live =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> =>
      released
        ? Promise.reject(
            new TransportError(
              "DISCONNECTED",
              "this connection lease was already closed; take a new one from the pool.",
              { retryable: false },
            ),
          )
        : f(...a);
  return {
    exec: live((command: string, opts?: ExecOptions): Promise<ExecResult> => t.exec(command, opts)),
    writeFile: live((path: string, data: string | Uint8Array, opts?: WriteOptions) =>
      t.writeFile(path, data, opts),
    ),
    readFile: live((path: string, opts?: ReadOptions): Promise<Buffer> => t.readFile(path, opts)),
    rename: live((from: string, to: string, opts?: { timeoutMs?: number }) => t.rename(from, to, opts)),
    mkdirp: live((path: string, opts?: { timeoutMs?: number }) => t.mkdirp(path, opts)),
    stat: live((path: string, opts?: { timeoutMs?: number }): Promise<FileStat | null> => t.stat(path, opts)),
    close: async () => {
      if (released) return;
      released = true;
      release();
    },
  };
}

const g = globalThis as typeof globalThis & { __emanagerSshPool?: SshPool };
/** The process-wide pool the server uses (one per process, also across dev-server reloads). */
export const sshPool: SshPool = (g.__emanagerSshPool ??= new SshPool());
