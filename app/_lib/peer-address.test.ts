import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER } from "@/lib/auth/client-address";
import { stampPeerAddresses } from "./peer-address";

// A real HTTP server on loopback: what a handler sees is the socket's address, whatever the client claims.
describe("stampPeerAddresses", () => {
  it("overwrites a client's forged peer header and beats a forged x-forwarded-for", async () => {
    stampPeerAddresses();
    const server = http.createServer((req, res) =>
      res.end(JSON.stringify({ peer: req.headers[PEER_HEADER], addr: clientAddress(req.headers, false) })),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" },
      });
      expect(await res.json()).toEqual({ peer: "127.0.0.1", addr: "127.0.0.1" });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
