import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from "ssh2";
import { TransportError, type HostKeyInfo } from "./errors";
import { hostKeyInfo, keyAlgorithm, preferredHostKeyAlgorithms, sha256Fingerprint } from "./fingerprint";

/** One SSH connection attempt: TCP, handshake, host key check, authentication. */
export interface ConnectInput {
  host: string;
  port: number;
  username: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  /** path of an ssh-agent socket (SSH_AUTH_SOCK) */
  agent?: string;
  /** base64 key blob the server must present; null = none pinned yet */
  pinnedHostKey: string | null;
  /** with nothing pinned, accept the offered key (the caller pins it) instead of refusing */
  trustOnFirstUse: boolean;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
}

export interface Connected {
  client: Client;
  hostKey: HostKeyInfo;
}

export function target(i: Pick<ConnectInput, "host" | "port" | "username">): string {
  return `${i.username}@${i.host}:${i.port}`;
}

/** Compares the offered key with the pin; a refusal is returned as the error to report. */
export function checkHostKey(
  offered: Buffer,
  pinned: string | null,
  trustOnFirstUse: boolean,
  where: string,
): TransportError | null {
  const k = hostKeyInfo(offered);
  const detail = { target: where, fingerprint: k.fingerprint, key: k.key, algo: k.algo };
  if (!pinned) {
    if (trustOnFirstUse) return null;
    return new TransportError(
      "HOSTKEY_UNKNOWN",
      `${where} offered the host key ${k.fingerprint} (${k.algo}), which is not pinned yet. Compare it with the fingerprint the site publishes (or \`ssh-keygen -lf\` of the host's key), then accept it to connect.`,
      detail,
    );
  }
  if (k.key === pinned) return null;
  const pinnedFingerprint = sha256Fingerprint(Buffer.from(pinned, "base64"));
  return new TransportError(
    "HOSTKEY_CHANGED",
    `the host key of ${where} changed: pinned ${pinnedFingerprint}, offered ${k.fingerprint} (${k.algo}). Refusing to connect, as this can be a man-in-the-middle attack; if the host was really re-keyed, confirm the new fingerprint with its administrators and pin it again.`,
    { ...detail, pinnedFingerprint },
  );
}

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed (temporarily)",
  ECONNRESET: "connection reset during the handshake",
  EPIPE: "connection closed during the handshake",
};

/** ssh2's connection errors, as codes and messages a user can act on. */
export function classifyConnectError(
  e: Error & { level?: string; code?: string },
  where: string,
  readyTimeoutMs: number,
): TransportError {
  const d = { target: where };
  if (e.level === "client-authentication") {
    return new TransportError(
      "AUTH",
      `${where} refused the credentials (public key authentication failed). Check the user name, and that the public key is in ~/.ssh/authorized_keys on the host (or loaded in the ssh-agent).`,
      d,
    );
  }
  if (e.level === "agent") {
    return new TransportError(
      "AUTH",
      `the ssh-agent for ${where} cannot be used: ${e.message}. Check that SSH_AUTH_SOCK points at a running agent holding the key.`,
      d,
    );
  }
  const why = e.code ? UNREACHABLE_CODES[e.code] : undefined;
  if (why)
    return new TransportError(
      "UNREACHABLE",
      `cannot reach ${where}: ${why} (${e.code}). Check the host name and port, and that sshd is running there.`,
      d,
    );
  if (e.level === "client-timeout" || /Timed out while waiting for handshake/i.test(e.message)) {
    return new TransportError(
      "UNREACHABLE",
      `cannot reach ${where}: no SSH handshake within ${readyTimeoutMs / 1000} s. Check the host name and port, and that sshd (not another service) listens there.`,
      d,
    );
  }
  if (e.level === "protocol" || e.level === "handshake") {
    return new TransportError(
      "UNREACHABLE",
      `cannot reach ${where}: the SSH handshake failed (${e.message}). Check that the port is an SSH server's.`,
      d,
    );
  }
  return new TransportError(
    "DISCONNECTED",
    `the connection to ${where} failed: ${e.message}. It will be retried on the next call.`,
    d,
  );
}

function configFor(i: ConnectInput, verify: (key: Buffer) => boolean): ConnectConfig {
  const pinnedAlgo = i.pinnedHostKey ? keyAlgorithm(Buffer.from(i.pinnedHostKey, "base64")) : null;
  return {
    host: i.host,
    port: i.port,
    username: i.username,
    readyTimeout: i.readyTimeoutMs,
    keepaliveInterval: i.keepaliveIntervalMs,
    keepaliveCountMax: 3,
    hostVerifier: verify,
    ...(pinnedAlgo && pinnedAlgo !== "unknown"
      ? {
          algorithms: {
            serverHostKey: {
              prepend: preferredHostKeyAlgorithms(pinnedAlgo) as ServerHostKeyAlgorithm[],
              append: [],
              remove: [],
            },
          },
        }
      : {}),
    ...(i.privateKey
      ? { privateKey: i.privateKey, ...(i.passphrase ? { passphrase: i.passphrase } : {}) }
      : {}),
    ...(i.agent ? { agent: i.agent } : {}),
  };
}

/** Resolves with a ready, authenticated client, or rejects with a TransportError. */
export function connectSsh(i: ConnectInput): Promise<Connected> {
  const where = target(i);
  if (!i.privateKey && !i.agent) {
    return Promise.reject(
      new TransportError(
        "AUTH",
        `no credentials for ${where}: give a private key, or run the server with an ssh-agent (SSH_AUTH_SOCK).`,
        { target: where },
      ),
    );
  }
  return new Promise<Connected>((resolve, reject) => {
    const client = new Client();
    let refused: TransportError | null = null;
    let offered: HostKeyInfo | null = null;
    let settled = false;
    const fail = (e: TransportError): void => {
      if (settled) return;
      settled = true;
      client.removeAllListeners("ready");
      client.destroy();
      reject(e);
    };
    client.on("error", (e: Error & { level?: string; code?: string }) =>
      fail(refused ?? classifyConnectError(e, where, i.readyTimeoutMs)),
    );
    client.once("close", () =>
      fail(
        refused ??
          new TransportError(
            "UNREACHABLE",
            `cannot reach ${where}: the server closed the connection during the handshake. Check that sshd accepts connections from here.`,
            { target: where },
          ),
      ),
    );
    client.once("ready", () => {
      if (settled || !offered) return;
      settled = true;
      resolve({ client, hostKey: offered });
    });
    const verify = (key: Buffer): boolean => {
      refused = checkHostKey(key, i.pinnedHostKey, i.trustOnFirstUse, where);
      offered = refused ? null : hostKeyInfo(key);
      return refused === null;
    };
    try {
      client.connect(configFor(i, verify));
    } catch (e: unknown) {
      // ssh2 parses the private key synchronously: a bad key or passphrase lands here.
      const msg = e instanceof Error ? e.message : String(e);
      fail(
        new TransportError(
          "AUTH",
          `the private key for ${where} cannot be used: ${msg}. Check the key and its passphrase.`,
          { target: where },
        ),
      );
    }
  });
}
