/**
 * The address a sign-in came from, for per-address throttling. Next fills `x-forwarded-for` from
 * the socket only when the client did not send one, so that header is the client's to choose
 * unless a proxy we trust sets it. Hence:
 * - behind a proxy (EMANAGER_TRUST_PROXY=1): the last `x-forwarded-for` entry, the one our proxy
 *   appended (entries before it are the client's own claims);
 * - otherwise: the socket's peer address, which the server stamps on every request as
 *   PEER_HEADER, overwriting whatever the client sent (app/_lib/peer-address.ts).
 * null when neither is known (then only the per-account limit applies).
 */
export const PEER_HEADER = "x-emanager-peer";

export type HeaderBag = Record<string, string | string[] | undefined>;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(",") : v;
}

export function clientAddress(headers: HeaderBag, trustProxy: boolean): string | null {
  if (trustProxy) {
    const hops = (one(headers["x-forwarded-for"]) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const last = hops[hops.length - 1];
    if (last) return normalise(last);
  }
  const peer = one(headers[PEER_HEADER])?.trim();
  return peer ? normalise(peer) : null;
}

/** "::ffff:127.0.0.1" and "127.0.0.1" are the same client. */
function normalise(a: string): string {
  const s = a.slice(0, 64).toLowerCase();
  return s.startsWith("::ffff:") && s.includes(".") ? s.slice(7) : s;
}

export function trustProxyFromEnv(env: NodeJS.ProcessEnv): boolean {
  return env.EMANAGER_TRUST_PROXY === "1";
}
