import { Client, type ConnectConfig, type SFTPWrapper } from "ssh2";
import { keyAlgorithm, sha256Fingerprint } from "./fingerprint";
import { TransportError, type ExecResult, type Transport } from "./types";

/**
 * SSH transport: one connection per (host, port, user), reused for every call, with keepalive;
 * re-established on the next call after a drop. Exec channels are capped below OpenSSH's default
 * MaxSessions (10). The host key is checked against the pinned one: none pinned → HOSTKEY_UNKNOWN
 * carrying the offered key and its fingerprint, so the user can pin it deliberately; a different
 * one → HOSTKEY_CHANGED naming both fingerprints. Every call has a timeout.
 */
export interface SshOptions {
  host: string;
  port: number;
  username: string;
  privateKey?: string;
  passphrase?: string;
  /** use the server's ssh-agent (SSH_AUTH_SOCK) */
  agent?: string;
  /** pinned host key, base64 of the key blob */
  hostKey: string | null;
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  maxChannels?: number;
}

export class SshTransport implements Transport {
  private client: Client | null = null;
  private sftpP: Promise<SFTPWrapper> | null = null;
  private ready: Promise<Client> | null = null;
  private active = 0;
  private waiters: (() => void)[] = [];
  constructor(private readonly o: SshOptions) {}

  private where(): string {
    return `${this.o.username}@${this.o.host}:${this.o.port}`;
  }

  private connect(): Promise<Client> {
    if (this.ready) return this.ready;
    const c = new Client();
    let hostProblem: TransportError | null = null;
    const cfg: ConnectConfig = {
      host: this.o.host, port: this.o.port, username: this.o.username, readyTimeout: this.o.connectTimeoutMs ?? 15_000, keepaliveInterval: 15_000, keepaliveCountMax: 3,
      ...(this.o.privateKey ? { privateKey: this.o.privateKey, passphrase: this.o.passphrase } : {}),
      ...(this.o.agent ? { agent: this.o.agent } : {}),
      hostVerifier: (key: Buffer) => {
        const offered = key.toString("base64");
        const fp = sha256Fingerprint(key);
        if (!this.o.hostKey) {
          hostProblem = new TransportError("HOSTKEY_UNKNOWN", `${this.where()} offered host key ${fp} (${keyAlgorithm(key)}), which is not pinned yet; check it and accept it to connect`, { fingerprint: fp, key: offered, algo: keyAlgorithm(key), retryable: false });
          return false;
        }
        if (offered !== this.o.hostKey) {
          const pinned = sha256Fingerprint(Buffer.from(this.o.hostKey, "base64"));
          hostProblem = new TransportError("HOSTKEY_CHANGED", `the host key of ${this.where()} changed: pinned ${pinned}, offered ${fp}. Refusing to connect; if the machine was really re-keyed, accept the new key deliberately`, { fingerprint: fp, key: offered, algo: keyAlgorithm(key), retryable: false });
          return false;
        }
        return true;
      },
    };
    this.ready = new Promise<Client>((resolve, reject) => {
      c.once("ready", () => {
        this.client = c;
        resolve(c);
      });
      c.once("error", (e: Error & { level?: string; code?: string }) => {
        this.reset();
        if (hostProblem) return reject(hostProblem);
        if (e.level === "client-authentication") return reject(new TransportError("AUTH", `${this.where()} refused the key (authentication failed): check the user name and that the public key is in ~/.ssh/authorized_keys`, { retryable: false }));
        if (e.code === "ECONNREFUSED" || e.code === "EHOSTUNREACH" || e.code === "ENOTFOUND" || e.code === "ETIMEDOUT" || /Timed out while waiting for handshake/.test(e.message)) {
          return reject(new TransportError("UNREACHABLE", `cannot reach ${this.where()}: ${e.code ?? e.message}. Is the host name and port right, and is sshd running?`));
        }
        reject(new TransportError("DISCONNECTED", `${this.where()}: ${e.message}`));
      });
      c.on("close", () => this.reset());
      c.connect(cfg);
    });
    return this.ready;
  }

  private reset(): void {
    this.client = null;
    this.ready = null;
    this.sftpP = null;
  }

  private async slot<T>(f: () => Promise<T>): Promise<T> {
    const max = this.o.maxChannels ?? 6;
    while (this.active >= max) await new Promise<void>((r) => this.waiters.push(r));
    this.active += 1;
    try {
      return await f();
    } finally {
      this.active -= 1;
      this.waiters.shift()?.();
    }
  }

  private timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new TransportError("TIMEOUT", `${what} on ${this.where()} took longer than ${ms / 1000} s`)), ms);
      p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e)));
    });
  }

  async exec(command: string, opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
    // A server may refuse a channel while closed sessions are still being torn down (MaxSessions):
    // that refusal is retried with a short backoff, a real failure is not.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.execOnce(command, opts);
      } catch (e: unknown) {
        if (!(e instanceof TransportError && /Channel open failure/.test(e.message)) || attempt >= 6) throw e;
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }

  private async execOnce(command: string, opts: { timeoutMs?: number }): Promise<ExecResult> {
    const ms = opts.timeoutMs ?? this.o.callTimeoutMs ?? 30_000;
    const c = await this.connect();
    return this.slot(() =>
      this.timeout(
        new Promise<ExecResult>((resolve, reject) => {
          c.exec(command, (err, ch) => {
            if (err) return reject(new TransportError("DISCONNECTED", `${this.where()}: ${err.message}`));
            let out = "";
            let errs = "";
            ch.on("data", (d: Buffer) => (out += d.toString()));
            ch.stderr.on("data", (d: Buffer) => (errs += d.toString()));
            ch.on("close", (code: number | null, signal: string | null) => resolve({ code: code ?? null, signal: signal ?? null, stdout: out, stderr: errs }));
          });
        }),
        ms,
        `\`${command.slice(0, 60)}\``,
      ),
    );
  }

  private async sftp(): Promise<SFTPWrapper> {
    const c = await this.connect();
    this.sftpP ??= new Promise<SFTPWrapper>((resolve, reject) => c.sftp((e, s) => (e ? reject(new TransportError("DISCONNECTED", `SFTP on ${this.where()}: ${e.message}`)) : resolve(s))));
    return this.sftpP;
  }

  private remote(path: string, e: Error & { code?: number }): TransportError {
    return new TransportError("REMOTE", `${path} on ${this.where()}: ${e.message}`, { missing: e.code === 2, retryable: false });
  }

  async writeFile(path: string, data: string | Uint8Array, opts: { mode?: number } = {}): Promise<void> {
    const s = await this.sftp();
    await this.slot(() => this.timeout(new Promise<void>((res, rej) => s.writeFile(path, Buffer.from(data), { mode: opts.mode ?? 0o644 }, (e) => (e ? rej(this.remote(path, e)) : res()))), this.o.callTimeoutMs ?? 60_000, `writing ${path}`));
  }

  async readFile(path: string, opts: { offset?: number; maxBytes?: number } = {}): Promise<Buffer> {
    const s = await this.sftp();
    const st = await this.stat(path);
    if (!st) throw new TransportError("REMOTE", `${path} on ${this.where()}: no such file`, { missing: true, retryable: false });
    const start = opts.offset ?? 0;
    const len = Math.max(0, Math.min(st.size - start, opts.maxBytes ?? Infinity));
    if (len === 0) return Buffer.alloc(0);
    return this.slot(() =>
      this.timeout(
        new Promise<Buffer>((res, rej) => {
          s.open(path, "r", (e, h) => {
            if (e) return rej(this.remote(path, e));
            const buf = Buffer.alloc(len);
            let got = 0;
            const step = (): void => {
              s.read(h, buf, got, Math.min(len - got, 32768), start + got, (er, n) => {
                if (er) return s.close(h, () => rej(this.remote(path, er)));
                got += n;
                if (n === 0 || got >= len) return s.close(h, () => res(buf.subarray(0, got)));
                step();
              });
            };
            step();
          });
        }),
        this.o.callTimeoutMs ?? 60_000,
        `reading ${path}`,
      ),
    );
  }

  async stat(path: string): Promise<{ size: number; mtimeMs: number } | null> {
    const s = await this.sftp();
    return new Promise((res, rej) => s.stat(path, (e, st) => (e ? ((e as Error & { code?: number }).code === 2 ? res(null) : rej(this.remote(path, e))) : res({ size: st.size, mtimeMs: st.mtime * 1000 }))));
  }

  async rename(from: string, to: string): Promise<void> {
    const s = await this.sftp();
    await new Promise<void>((res, rej) => s.ext_openssh_rename(from, to, (e) => (e ? rej(this.remote(from, e)) : res())));
  }

  async close(): Promise<void> {
    this.client?.end();
    this.reset();
  }
}
