import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, open, rename, stat, writeFile } from "node:fs/promises";
import { watch as watchDir } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { TransportError, showCommand } from "./errors";
import { withDeadline } from "./timing";
import type { ExecOptions, ExecResult, FileStat, ReadOptions, Transport, WriteOptions } from "./types";

const WHERE = "this machine";

export interface LocalOptions {
  /** directory commands start in and relative paths resolve from (default: the home directory) */
  cwd?: string;
  /** default budget of every call, ms (default 60 000) */
  callTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

function fsError(e: unknown, what: string, p: string): TransportError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT")
    return new TransportError("REMOTE", `cannot ${what} ${p} on ${WHERE}: no such file or directory`, {
      target: WHERE,
      missing: true,
    });
  if (err.code === "EACCES" || err.code === "EPERM")
    return new TransportError("REMOTE", `cannot ${what} ${p} on ${WHERE}: permission denied`, {
      target: WHERE,
    });
  return new TransportError("REMOTE", `cannot ${what} ${p} on ${WHERE}: ${err.message ?? String(e)}`, {
    target: WHERE,
  });
}

/**
 * The Transport interface on the server's own machine, for the `local` resource: commands run
 * under `/bin/bash -c` in their own process group (a timeout kills the whole group), files go
 * through node:fs. Same semantics as SshTransport, checked by the same conformance suite.
 */
export class LocalTransport implements Transport {
  private readonly cwd: string;
  private readonly callTimeoutMs: number;
  private readonly running = new Set<ChildProcess>();
  private closed = false;

  constructor(private readonly o: LocalOptions = {}) {
    this.cwd = o.cwd ?? homedir();
    this.callTimeoutMs = o.callTimeoutMs ?? 60_000;
  }

  /** `~/x` → home; relative → from cwd (the login directory, as over SSH). */
  resolve(p: string): string {
    if (p === "~") return homedir();
    if (p.startsWith("~/")) return path.join(homedir(), p.slice(2));
    return path.resolve(this.cwd, p);
  }

  private guard(): void {
    if (this.closed)
      throw new TransportError("DISCONNECTED", "the local transport was closed; open a new one.", {
        target: WHERE,
        retryable: false,
      });
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.guard();
    const ms = opts.timeoutMs ?? this.callTimeoutMs;
    const onTimeout = () =>
      new TransportError(
        "TIMEOUT",
        `${showCommand(command)} on ${WHERE} took longer than ${ms / 1000} s and was stopped. Allow a longer timeout if it is expected to take that long.`,
        { target: WHERE },
      );
    return withDeadline(ms, onTimeout, (signal) => this.run(command, opts.stdin, signal));
  }

  private run(
    command: string,
    stdin: string | Uint8Array | undefined,
    signal: AbortSignal,
  ): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      // detached: its own process group, so a timeout ends the command's children too.
      const child = spawn("/bin/bash", ["-c", command], {
        cwd: this.cwd,
        env: this.o.env ?? process.env,
        detached: true,
        stdio: ["pipe", "pipe", "pipe"],
      });
      this.running.add(child);
      const out: Buffer[] = [];
      const errs: Buffer[] = [];
      const kill = (): void => killGroup(child);
      signal.addEventListener("abort", kill, { once: true });
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => errs.push(d));
      child.stdin.on("error", () => undefined); // EPIPE when the command does not read its input
      child.on("error", (e: Error) => {
        this.running.delete(child);
        reject(
          new TransportError("REMOTE", `cannot run ${showCommand(command)} on ${WHERE}: ${e.message}`, {
            target: WHERE,
          }),
        );
      });
      child.on("close", (code: number | null, sig: NodeJS.Signals | null) => {
        this.running.delete(child);
        signal.removeEventListener("abort", kill);
        resolve({
          code,
          signal: sig,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(errs).toString("utf8"),
        });
      });
      child.stdin.end(stdin === undefined ? undefined : Buffer.from(stdin));
    });
  }

  private async files<T>(what: string, ms: number | undefined, f: () => Promise<T>): Promise<T> {
    this.guard();
    const budget = ms ?? this.callTimeoutMs;
    return withDeadline(
      budget,
      () =>
        new TransportError("TIMEOUT", `${what} on ${WHERE} took longer than ${budget / 1000} s`, {
          target: WHERE,
        }),
      f,
    );
  }

  writeFile(p: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<void> {
    const file = this.resolve(p);
    return this.files(`writing ${p}`, opts.timeoutMs, async () => {
      try {
        await writeFile(file, data, opts.mode === undefined ? {} : { mode: opts.mode });
        if (opts.mode !== undefined) await chmod(file, opts.mode);
      } catch (e: unknown) {
        throw fsError(e, "write", p);
      }
    });
  }

  readFile(p: string, opts: ReadOptions = {}): Promise<Buffer> {
    const file = this.resolve(p);
    return this.files(`reading ${p}`, opts.timeoutMs, async () => {
      const fh = await open(file, "r").catch((e: unknown) => Promise.reject(fsError(e, "read", p)));
      try {
        const offset = opts.offset ?? 0;
        const size = (await fh.stat()).size;
        const len = Math.max(0, Math.min(size - offset, opts.maxBytes ?? Number.MAX_SAFE_INTEGER));
        const buf = Buffer.alloc(len);
        let got = 0;
        while (got < len) {
          const { bytesRead } = await fh.read(buf, got, len - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got);
      } finally {
        await fh.close();
      }
    });
  }

  rename(from: string, to: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    return this.files(`renaming ${from}`, opts.timeoutMs, () =>
      rename(this.resolve(from), this.resolve(to)).catch((e: unknown) =>
        Promise.reject(fsError(e, "rename", from)),
      ),
    );
  }

  mkdirp(p: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    return this.files(`creating ${p}`, opts.timeoutMs, async () => {
      await mkdir(this.resolve(p), { recursive: true }).catch((e: unknown) => {
        const code = (e as NodeJS.ErrnoException).code;
        throw code === "EEXIST" || code === "ENOTDIR"
          ? new TransportError(
              "REMOTE",
              `cannot create the directory ${p} on ${WHERE}: a file is in the way`,
              { target: WHERE },
            )
          : fsError(e, "create the directory", p);
      });
    });
  }

  stat(p: string, opts: { timeoutMs?: number } = {}): Promise<FileStat | null> {
    return this.files(`stat of ${p}`, opts.timeoutMs, async () => {
      try {
        const st = await stat(this.resolve(p));
        return { size: st.size, mtimeMs: st.mtimeMs, isDirectory: st.isDirectory() };
      } catch (e: unknown) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw fsError(e, "stat", p);
      }
    });
  }

  /** inotify on the directory: an append to a file in it is a change too. */
  watch(dir: string, onChange: () => void): (() => void) | null {
    if (this.closed) return null;
    try {
      // not persistent: a watch must never keep a process (the CLI, a test) alive
      const w = watchDir(path.resolve(this.cwd, dir), { persistent: false }, () => onChange());
      w.on("error", () => w.close()); // the sandbox was removed: the engine polls as before
      return () => w.close();
    } catch {
      return null;
    }
  }

  /** Later calls fail; commands still running are killed with their process groups. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.running) killGroup(c);
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL"); // the group is gone already; make sure of the leader
  }
}
