import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { PEER_HEADER } from "@/lib/auth/client-address";

/**
 * Route handlers never see the socket, and Next keeps a client's own `x-forwarded-for`, so the
 * per-address sign-in limit needs the peer address from somewhere a client cannot write. Node
 * publishes every incoming request on the `http.server.request.start` channel before the server's
 * 'request' listeners run; we stamp the socket's address on it as PEER_HEADER, overwriting any
 * value the client sent. Installed once per process from instrumentation.ts.
 */
const KEY = Symbol.for("emanager.peerAddress");
const g = globalThis as typeof globalThis & { [KEY]?: true };

export function stampPeerAddresses(): void {
  if (g[KEY]) return;
  g[KEY] = true;
  subscribe("http.server.request.start", (msg) => {
    const { request, socket } = msg as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = socket.remoteAddress ?? "";
  });
}
