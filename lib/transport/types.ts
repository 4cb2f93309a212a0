/**
 * How the engine reaches a machine: run a command, move files. `SshTransport` (ssh.ts) and
 * `LocalTransport` (local.ts) implement it and pass the same conformance suite.
 *
 * Paths: absolute, or relative to the login directory; a leading `~/` means the login directory
 * too (SFTP does not expand it, the transports do). Every call has a timeout; failures are
 * `TransportError`s with a code (errors.ts).
 */
export {
  TransportError,
  isTransportError,
  type HostKeyInfo,
  type TransportErrorCode,
  type TransportErrorDetail,
} from "./errors";

export interface ExecResult {
  /** exit status; null when the command was ended by a signal */
  code: number | null;
  /** e.g. "SIGKILL" when the command was ended by a signal, otherwise null */
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** whole-call budget in ms (connecting and queueing included); the command is killed after it */
  timeoutMs?: number;
  /** written to the command's standard input, which is then closed (it is always closed) */
  stdin?: string | Uint8Array;
}

export interface ReadOptions {
  /** first byte to read (default 0) */
  offset?: number;
  /** read at most this many bytes (default: to the end of the file) */
  maxBytes?: number;
  timeoutMs?: number;
}

export interface WriteOptions {
  /** permission bits the file ends up with (also when it existed), e.g. 0o755 */
  mode?: number;
  timeoutMs?: number;
}

export interface FileStat {
  size: number;
  /** last modification, ms since the epoch (SFTP gives whole seconds) */
  mtimeMs: number;
  isDirectory: boolean;
}

export interface Transport {
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** creates or replaces the file */
  writeFile(path: string, data: string | Uint8Array, opts?: WriteOptions): Promise<void>;
  /** a missing file is a TransportError REMOTE with detail.missing */
  readFile(path: string, opts?: ReadOptions): Promise<Buffer>;
  /** atomic rename that replaces the target */
  rename(from: string, to: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** creates the directory and its missing parents; fine when it exists */
  mkdirp(path: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** null when the path does not exist */
  stat(path: string, opts?: { timeoutMs?: number }): Promise<FileStat | null>;
  /**
   * Calls `onChange` whenever something in `dir` changes, until the returned function is
   * called; null when this transport cannot watch (SSH: the engine polls) or `dir` is missing.
   */
  watch?(dir: string, onChange: () => void): (() => void) | null;
  /** ends the connection (SSH) or the running commands (local); later calls fail */
  close(): Promise<void>;
}
