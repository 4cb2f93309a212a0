import type { Client, ClientChannel } from "ssh2";
import { TransportError, showCommand } from "./errors";
import type { ExecResult } from "./types";

/**
 * The channel could not be opened, so the command never started and may be retried:
 * `connectionGone` → on a new connection; otherwise (the server refused one more session,
 * MaxSessions) → on the same one, after a short wait.
 */
export class ChannelNotOpened extends Error {
  constructor(
    message: string,
    readonly connectionGone: boolean,
  ) {
    super(message);
  }
}

function notOpened(e: unknown): ChannelNotOpened | TransportError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Not connected|No response from server/i.test(msg)) return new ChannelNotOpened(msg, true);
  if (/Channel open failure|No free channels/i.test(msg)) return new ChannelNotOpened(msg, false);
  return new TransportError("REMOTE", msg);
}

/** Exit signals as Node names them ("SIGKILL"); SSH sends them without the prefix. */
function signalName(s: unknown): string | null {
  if (typeof s !== "string" || !s) return null;
  return s.startsWith("SIG") ? s : `SIG${s}`;
}

interface ChannelInternals {
  outgoing?: { id?: number; state?: string };
  _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
}

/**
 * Sends a signal request (RFC 4254 §6.9; OpenSSH's sshd delivers it with killpg). ssh2's own
 * Channel.signal() sends nothing once we have sent EOF on stdin, which we always do, so this
 * goes one level down to its protocol object. Servers without signal support ignore it.
 */
function sendSignal(ch: ClientChannel, name: "KILL" | "TERM"): void {
  const c = ch as unknown as ChannelInternals;
  const id = c.outgoing?.id;
  const proto = c._client?._protocol;
  if (typeof id !== "number" || c.outgoing?.state === "closed" || typeof proto?.signal !== "function") return;
  proto.signal(id, name);
}

export interface ExecRun {
  client: Client;
  /** true once the connection this client belongs to has closed */
  isClosed: () => boolean;
  where: string;
  command: string;
  stdin?: string | Uint8Array;
  signal: AbortSignal;
}

/**
 * One command on one exec channel. Output is collected as bytes and decoded once, so a
 * multi-byte character split across packets arrives whole. On abort (timeout) the command is
 * sent SIGKILL and the channel closed, which frees the server's session slot.
 */
export function execOnChannel(r: ExecRun): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    let channel: ClientChannel | null = null;
    const onAbort = (): void => {
      if (!channel) return;
      try {
        sendSignal(channel, "KILL");
      } catch {
        // the channel may already be closing; closing it is what frees the session slot
      }
      channel.close();
    };
    r.signal.addEventListener("abort", onAbort, { once: true });
    const done = (): void => r.signal.removeEventListener("abort", onAbort);
    const opened = (err: Error | undefined, ch: ClientChannel): void => {
      if (err) {
        done();
        return reject(notOpened(err));
      }
      channel = ch;
      if (r.signal.aborted) return onAbort();
      const out: Buffer[] = [];
      const errs: Buffer[] = [];
      let code: number | null = null;
      let sig: string | null = null;
      let exited = false;
      ch.on("data", (d: Buffer) => out.push(d));
      ch.stderr.on("data", (d: Buffer) => errs.push(d));
      ch.on("exit", (c: number | null, s?: string) => {
        exited = true;
        code = typeof c === "number" ? c : null;
        sig = signalName(s);
      });
      ch.on("close", () => {
        done();
        if (!exited && r.isClosed()) {
          return reject(
            new TransportError(
              "DISCONNECTED",
              `the connection to ${r.where} was lost while ${showCommand(r.command)} ran. It will be re-established on the next call; check whether the command took effect before repeating it.`,
              { target: r.where },
            ),
          );
        }
        resolve({
          code,
          signal: sig,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(errs).toString("utf8"),
        });
      });
      // Always close stdin: a command that reads it must see EOF rather than wait forever.
      if (r.stdin !== undefined) ch.end(Buffer.from(r.stdin));
      else ch.end();
    };
    try {
      r.client.exec(r.command, opened);
    } catch (e: unknown) {
      done();
      reject(notOpened(e));
    }
  });
}
