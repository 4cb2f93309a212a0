/**
 * Transport failures as values with a code. Every message names the target (user@host:port or
 * "this machine"), says what happened and what the user can do about it.
 */
export type TransportErrorCode =
  | "UNREACHABLE" // no TCP connection or no SSH handshake: wrong host/port, sshd down, network
  | "AUTH" // the server refused the credentials, or the key cannot be used (bad passphrase)
  | "HOSTKEY_UNKNOWN" // no host key pinned yet: detail carries the offered key and its fingerprint
  | "HOSTKEY_CHANGED" // the offered key differs from the pinned one: refused
  | "TIMEOUT" // the call took longer than its timeout (the remote command was signalled)
  | "DISCONNECTED" // the connection dropped during the call; the next call reconnects
  | "REMOTE"; // the other side answered with an error (missing file, permission, …)

/** A host key as offered by a server: algorithm, base64 of the key blob, OpenSSH fingerprint. */
export interface HostKeyInfo {
  algo: string;
  key: string;
  fingerprint: string;
}

export interface TransportErrorDetail {
  /** overrides the code's default (see `retryable`) */
  retryable?: boolean;
  /** user@host:port or "this machine" */
  target?: string;
  /** HOSTKEY_*: the offered key */
  fingerprint?: string;
  key?: string;
  algo?: string;
  /** HOSTKEY_CHANGED: the fingerprint of the pinned key */
  pinnedFingerprint?: string;
  /** REMOTE: the path does not exist */
  missing?: boolean;
}

const RETRYABLE_BY_DEFAULT: Record<TransportErrorCode, boolean> = {
  UNREACHABLE: true,
  AUTH: false,
  HOSTKEY_UNKNOWN: false,
  HOSTKEY_CHANGED: false,
  TIMEOUT: true,
  DISCONNECTED: true,
  REMOTE: false,
};

/**
 * A production build loads this module more than once (server actions, route handlers, the
 * engine's instrumentation), while the SSH pool is shared through globalThis: a call in one copy
 * can fail with another copy's TransportError. `instanceof` would then say no, and the error
 * would be reported as a generic one (a probe's HOSTKEY_UNKNOWN stored as ERROR, a retryable
 * drop not retried). Every instance carries a brand shared by all copies (Symbol.for), and
 * `instanceof TransportError` tests the brand, so every check in every copy agrees.
 */
const BRAND = Symbol.for("emanager.TransportError");

export class TransportError extends Error {
  override readonly name = "TransportError";
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && (x as { [BRAND]?: unknown })[BRAND] === true;
  }

  constructor(
    readonly code: TransportErrorCode,
    message: string,
    readonly detail: TransportErrorDetail = {},
  ) {
    super(message);
  }

  /** Whether the same call may succeed if repeated later (after a backoff). */
  get retryable(): boolean {
    return this.detail.retryable ?? RETRYABLE_BY_DEFAULT[this.code];
  }

  /** HOSTKEY_UNKNOWN / HOSTKEY_CHANGED: the key the server offered, ready to show and pin. */
  get offeredHostKey(): HostKeyInfo | null {
    const { algo, key, fingerprint } = this.detail;
    return algo && key && fingerprint ? { algo, key, fingerprint } : null;
  }
}

export function isTransportError(e: unknown, code?: TransportErrorCode): e is TransportError {
  // By name as well as by class: a production build may load this module in two bundles
  // (server actions and route handlers), and then instanceof fails across them.
  const ok =
    e instanceof TransportError ||
    (e instanceof Error &&
      e.name === "TransportError" &&
      typeof (e as { code?: unknown }).code === "string" &&
      typeof (e as { detail?: unknown }).detail === "object");
  return ok && (code === undefined || (e as TransportError).code === code);
}

/** A command as it appears in a message: one line, at most 80 characters. */
export function showCommand(command: string): string {
  const one = command.replace(/\s+/g, " ").trim();
  return `\`${one.length > 80 ? `${one.slice(0, 77)}...` : one}\``;
}
