import type { Client } from "ssh2";
import { TransportError, showCommand, type HostKeyInfo } from "./errors";
import { Limiter } from "./limiter";
import { connectSsh, target } from "./ssh-connect";
import { ChannelNotOpened, execOnChannel } from "./ssh-exec";
import { sftpSession, type SftpOps, type SftpHolder } from "./ssh-sftp";
import {
  DEFAULT_BACKOFF,
  backoffDelayMs,
  sleep,
  untilAborted,
  withDeadline,
  type BackoffPolicy,
} from "./timing";
import type { ExecOptions, ExecResult, FileStat, ReadOptions, Transport, WriteOptions } from "./types";

export interface SshOptions {
  host: string;
  port: number;
  username: string;
  /** OpenSSH or PEM private key text */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** ssh-agent socket (SSH_AUTH_SOCK of the server process), used when given */
  agent?: string;
  /** pinned host key (base64 of the key blob); null = none pinned: HOSTKEY_UNKNOWN, or TOFU below */
  hostKey: string | null;
  /** with no pin, accept the first key offered, keep it pinned for reconnects, report it */
  trustOnFirstUse?: boolean;
  onHostKeyPinned?: (key: HostKeyInfo) => void;
  /** TCP + handshake + authentication, ms (default 15 000) */
  connectTimeoutMs?: number;
  /** default budget of every call, ms (default 60 000) */
  callTimeoutMs?: number;
  /** concurrent exec channels (default 8: with the SFTP channel, under OpenSSH's MaxSessions 10) */
  maxChannels?: number;
  keepaliveIntervalMs?: number;
  /** reconnect attempts after a connection that worked has dropped (default 4) */
  reconnectAttempts?: number;
  backoff?: BackoffPolicy;
}

interface Live extends SftpHolder {
  client: Client;
  closed: boolean;
}

/**
 * A Transport over one SSH connection, opened on first use and shared by every call: exec
 * channels queue under `maxChannels`, file operations share one SFTP session, keepalives detect
 * a dead peer. After a drop the next call reconnects, retrying with exponential backoff when the
 * host was reachable before. A channel that never opened is retried; a command that was running
 * when the connection dropped is not (it may have taken effect): that is DISCONNECTED.
 */
export class SshTransport implements Transport {
  readonly where: string;
  private live: Live | null = null;
  private connecting: Promise<Live> | null = null;
  private everConnected = false;
  private closedByUser = false;
  private pinned: string | null;
  private readonly channels: Limiter;
  private readonly callTimeoutMs: number;

  constructor(private readonly o: SshOptions) {
    this.where = target(o);
    this.pinned = o.hostKey;
    this.channels = new Limiter(o.maxChannels ?? 8);
    this.callTimeoutMs = o.callTimeoutMs ?? 60_000;
  }

  /** The pinned host key (after trust on first use, the one accepted). */
  get hostKey(): string | null {
    return this.pinned;
  }

  get connected(): boolean {
    return this.live !== null && !this.live.closed;
  }

  private async connectOnce(): Promise<Live> {
    const tofu = this.pinned === null && this.o.trustOnFirstUse === true;
    const { client, hostKey } = await connectSsh({
      host: this.o.host,
      port: this.o.port,
      username: this.o.username,
      privateKey: this.o.privateKey,
      passphrase: this.o.passphrase,
      agent: this.o.agent,
      pinnedHostKey: this.pinned,
      trustOnFirstUse: tofu,
      readyTimeoutMs: this.o.connectTimeoutMs ?? 15_000,
      keepaliveIntervalMs: this.o.keepaliveIntervalMs ?? 15_000,
    });
    if (tofu) {
      this.pinned = hostKey.key;
      this.o.onHostKeyPinned?.(hostKey);
    }
    const live: Live = { client, closed: false, sftp: null };
    const gone = (): void => {
      live.closed = true;
      if (this.live === live) this.live = null;
    };
    client.on("close", gone);
    client.on("end", gone);
    client.on("error", gone); // keepalive timeout and the like; "close" follows
    if (this.closedByUser) client.end();
    this.everConnected = true;
    return live;
  }

  private async connectWithRetry(): Promise<Live> {
    const attempts = this.o.reconnectAttempts ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.connectOnce();
      } catch (e: unknown) {
        // A host that never answered fails at once: the user should hear about it now.
        const again =
          this.everConnected &&
          !this.closedByUser &&
          e instanceof TransportError &&
          e.retryable &&
          attempt < attempts;
        if (!again) throw e;
        await sleep(backoffDelayMs(attempt, this.o.backoff ?? DEFAULT_BACKOFF));
      }
    }
  }

  private async ensureLive(signal: AbortSignal): Promise<Live> {
    if (this.closedByUser)
      throw new TransportError("DISCONNECTED", `the transport to ${this.where} was closed; open a new one.`, {
        target: this.where,
        retryable: false,
      });
    if (this.live && !this.live.closed) return this.live;
    this.connecting ??= this.connectWithRetry()
      .then((l) => (this.live = l))
      .finally(() => (this.connecting = null));
    return untilAborted(this.connecting, signal);
  }

  private timeoutError(what: string, ms: number): () => TransportError {
    return () =>
      new TransportError(
        "TIMEOUT",
        `${what} on ${this.where} took longer than ${ms / 1000} s and was stopped. Check that the host is responsive, or allow a longer timeout.`,
        { target: this.where },
      );
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const ms = opts.timeoutMs ?? this.callTimeoutMs;
    return withDeadline(ms, this.timeoutError(showCommand(command), ms), async (signal) => {
      for (let attempt = 0; ; attempt++) {
        const live = await this.ensureLive(signal);
        const release = await this.channels.acquire(signal);
        try {
          return await execOnChannel({
            client: live.client,
            isClosed: () => live.closed,
            where: this.where,
            command,
            stdin: opts.stdin,
            signal,
          });
        } catch (e: unknown) {
          if (!(e instanceof ChannelNotOpened) || attempt >= 6) throw this.asTransportError(e);
          if (e.connectionGone) this.forget(live);
          else await sleep(backoffDelayMs(attempt, { baseMs: 50, maxMs: 1_000, factor: 2 }), signal);
        } finally {
          release();
        }
      }
    });
  }

  private asTransportError(e: unknown): TransportError {
    if (e instanceof TransportError) return e;
    const msg = e instanceof Error ? e.message : String(e);
    return new TransportError("DISCONNECTED", `${this.where}: ${msg}. The next call reconnects.`, {
      target: this.where,
    });
  }

  /** Drops a connection that is dead but not yet noticed as such. */
  private forget(live: Live): void {
    live.closed = true;
    if (this.live === live) this.live = null;
    live.client.destroy();
  }

  private async sftp(signal: AbortSignal): Promise<SftpOps> {
    for (let attempt = 0; ; attempt++) {
      const live = await this.ensureLive(signal);
      try {
        return await untilAborted(sftpSession(live, this.where), signal);
      } catch (e: unknown) {
        if (e instanceof TransportError) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        const gone = /Not connected|No response from server/i.test(msg);
        const busy = /Channel open failure|No free channels/i.test(msg); // every session slot taken
        if ((!gone && !busy) || attempt >= 5) {
          throw new TransportError(
            "REMOTE",
            `cannot start SFTP on ${this.where}: ${msg}. Check that the server enables the sftp subsystem.`,
            { target: this.where },
          );
        }
        if (gone) this.forget(live);
        else await sleep(backoffDelayMs(attempt, { baseMs: 50, maxMs: 1_000, factor: 2 }), signal);
      }
    }
  }

  private fileCall<T>(what: string, ms: number | undefined, f: (ops: SftpOps) => Promise<T>): Promise<T> {
    const budget = ms ?? this.callTimeoutMs;
    return withDeadline(budget, this.timeoutError(what, budget), async (signal) =>
      untilAborted(f(await this.sftp(signal)), signal),
    );
  }

  writeFile(path: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    return this.fileCall(`writing ${path}`, opts.timeoutMs, (s) => s.writeFile(path, bytes, opts.mode));
  }

  readFile(path: string, opts: ReadOptions = {}): Promise<Buffer> {
    return this.fileCall(`reading ${path}`, opts.timeoutMs, (s) =>
      s.readFile(path, opts.offset ?? 0, opts.maxBytes ?? Number.MAX_SAFE_INTEGER),
    );
  }

  stat(path: string, opts: { timeoutMs?: number } = {}): Promise<FileStat | null> {
    return this.fileCall(`stat of ${path}`, opts.timeoutMs, (s) => s.stat(path));
  }

  rename(from: string, to: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    return this.fileCall(`renaming ${from}`, opts.timeoutMs, (s) => s.rename(from, to));
  }

  mkdirp(path: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    return this.fileCall(`creating ${path}`, opts.timeoutMs, (s) => s.mkdirp(path));
  }

  async close(): Promise<void> {
    this.closedByUser = true;
    this.channels.rejectWaiting(
      new TransportError("DISCONNECTED", `the transport to ${this.where} was closed.`, {
        target: this.where,
        retryable: false,
      }),
    );
    const live = this.live ?? (await this.connecting?.catch(() => null)) ?? null;
    this.live = null;
    if (!live || live.closed) return;
    await new Promise<void>((resolve) => {
      live.client.once("close", () => resolve());
      live.client.end();
      setTimeout(resolve, 2_000).unref();
    });
  }
}
