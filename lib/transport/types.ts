/** How the engine reaches a machine: run a command, move files. SSH and local implement it. */
export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface Transport {
  exec(command: string, opts?: { timeoutMs?: number }): Promise<ExecResult>;
  writeFile(path: string, data: string | Uint8Array, opts?: { mode?: number }): Promise<void>;
  /** reads from `offset` (default 0) up to `maxBytes`; a missing file is a TransportError REMOTE with `missing` */
  readFile(path: string, opts?: { offset?: number; maxBytes?: number }): Promise<Buffer>;
  stat(path: string): Promise<{ size: number; mtimeMs: number } | null>;
  /** atomic rename that replaces the target */
  rename(from: string, to: string): Promise<void>;
  close(): Promise<void>;
}

export type TransportErrorCode = "UNREACHABLE" | "AUTH" | "HOSTKEY_UNKNOWN" | "HOSTKEY_CHANGED" | "TIMEOUT" | "DISCONNECTED" | "REMOTE";

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    readonly detail: { retryable?: boolean; fingerprint?: string; key?: string; algo?: string; missing?: boolean } = {},
  ) {
    super(message);
    this.name = "TransportError";
  }
  get retryable(): boolean {
    return this.detail.retryable ?? (this.code === "DISCONNECTED" || this.code === "TIMEOUT" || this.code === "UNREACHABLE");
  }
}
