import { posix } from "node:path";
import type { Client, SFTPWrapper, Stats } from "ssh2";
import { TransportError } from "./errors";
import type { FileStat } from "./types";

/** SFTP file operations as promises, with SFTP status codes turned into TransportErrors. */

type SftpError = Error & { code?: number | string };
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

/** SFTP resolves relative paths from the login directory and does not expand `~`; we do. */
export function sftpPath(p: string): string {
  if (p === "~") return ".";
  return p.startsWith("~/") ? p.slice(2) || "." : p;
}

export function sftpError(e: SftpError, what: string, path: string, where: string): TransportError {
  if (e.code === NO_SUCH_FILE)
    return new TransportError("REMOTE", `cannot ${what} ${path} on ${where}: no such file or directory`, {
      target: where,
      missing: true,
    });
  if (e.code === PERMISSION_DENIED)
    return new TransportError(
      "REMOTE",
      `cannot ${what} ${path} on ${where}: permission denied. Check the path and the remote user's rights.`,
      { target: where },
    );
  if (
    /No response from server|Not connected|CONNECTION_LOST|NO_CONNECTION|write after end/i.test(e.message) ||
    e.code === 6 ||
    e.code === 7
  ) {
    return new TransportError(
      "DISCONNECTED",
      `the connection to ${where} was lost while trying to ${what} ${path}. It will be re-established on the next call.`,
      { target: where },
    );
  }
  return new TransportError("REMOTE", `cannot ${what} ${path} on ${where}: ${e.message}`, { target: where });
}

function toStat(st: Stats): FileStat {
  return { size: st.size, mtimeMs: st.mtime * 1000, isDirectory: st.isDirectory() };
}

export class SftpOps {
  constructor(
    private readonly s: SFTPWrapper,
    private readonly where: string,
  ) {}

  private call<T>(
    what: string,
    path: string,
    f: (cb: (e: SftpError | undefined | null, v?: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        f((e, v) => (e ? reject(sftpError(e, what, path, this.where)) : resolve(v as T)));
      } catch (e: unknown) {
        reject(sftpError(e instanceof Error ? e : new Error(String(e)), what, path, this.where));
      }
    });
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      return toStat(await this.call<Stats>("stat", path, (cb) => this.s.stat(sftpPath(path), cb)));
    } catch (e: unknown) {
      if (e instanceof TransportError && e.detail.missing) return null;
      throw e;
    }
  }

  async writeFile(path: string, data: Uint8Array, mode: number | undefined): Promise<void> {
    const p = sftpPath(path);
    await this.call<void>("write", path, (cb) =>
      this.s.writeFile(p, Buffer.from(data), mode === undefined ? {} : { mode }, cb),
    );
    // open(2) applies a mode only when it creates the file; the caller asked for this mode.
    if (mode !== undefined) await this.call<void>("chmod", path, (cb) => this.s.chmod(p, mode, cb));
  }

  async readFile(path: string, offset: number, maxBytes: number): Promise<Buffer> {
    const p = sftpPath(path);
    const h = await this.call<Buffer>("read", path, (cb) => this.s.open(p, "r", cb));
    try {
      const st = await this.call<Stats>("read", path, (cb) => this.s.fstat(h, cb));
      const len = Math.max(0, Math.min(st.size - offset, maxBytes));
      const buf = Buffer.alloc(len);
      let got = 0;
      while (got < len) {
        // ssh2 splits a long read into the server's packet size itself.
        const n = await this.call<number>("read", path, (cb) =>
          this.s.read(h, buf, got, len - got, offset + got, (e, bytes) => cb(e, bytes)),
        );
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    } finally {
      await this.call<void>("close", path, (cb) => this.s.close(h, cb)).catch(() => undefined);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    // posix-rename@openssh.com replaces the target atomically; plain SFTP rename refuses to.
    await this.call<void>("rename", from, (cb) =>
      this.s.ext_openssh_rename(sftpPath(from), sftpPath(to), cb),
    );
  }

  async mkdirp(path: string): Promise<void> {
    const p = sftpPath(path);
    const st = await this.stat(p);
    if (st?.isDirectory) return;
    if (st)
      throw new TransportError(
        "REMOTE",
        `cannot create the directory ${path} on ${this.where}: a file is in the way`,
        { target: this.where },
      );
    const parent = posix.dirname(p);
    if (parent !== p && parent !== ".") await this.mkdirp(parent);
    try {
      await this.call<void>("create the directory", path, (cb) => this.s.mkdir(p, cb));
    } catch (e: unknown) {
      // Someone else may have created it meanwhile; that is success too.
      if (!(await this.stat(p))?.isDirectory) throw e;
    }
  }
}

/** Where a connection keeps its one SFTP session (opened on first use, reused after). */
export interface SftpHolder {
  client: Client;
  sftp: Promise<SftpOps> | null;
}

/** The connection's SFTP session; a failed or closed one is forgotten, so the next call opens anew. */
export function sftpSession(h: SftpHolder, where: string): Promise<SftpOps> {
  if (h.sftp) return h.sftp;
  const p = new Promise<SftpOps>((resolve, reject) => {
    const reset = (): void => {
      if (h.sftp === p) h.sftp = null;
    };
    try {
      h.client.sftp((e: Error | undefined, s: SFTPWrapper) => {
        if (e) return reject(e);
        s.on("close", reset);
        s.on("end", reset);
        s.on("error", reset);
        resolve(new SftpOps(s, where));
      });
    } catch (e: unknown) {
      reject(e);
    }
  });
  h.sftp = p;
  p.catch(() => {
    if (h.sftp === p) h.sftp = null;
  });
  return p;
}
