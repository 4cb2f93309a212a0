import { describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER } from "./client-address";

describe("clientAddress", () => {
  it("uses the socket's address and ignores a client's x-forwarded-for when no proxy is trusted", () => {
    expect(clientAddress({ "x-forwarded-for": "6.6.6.6", [PEER_HEADER]: "::ffff:127.0.0.1" }, false)).toBe(
      "127.0.0.1",
    );
    expect(clientAddress({ "x-forwarded-for": "6.6.6.6" }, false)).toBeNull();
  });
  it("behind a trusted proxy, takes the entry the proxy appended (the last), not the client's claims", () => {
    expect(
      clientAddress({ "x-forwarded-for": "6.6.6.6, 203.0.113.9", [PEER_HEADER]: "10.0.0.2" }, true),
    ).toBe("203.0.113.9");
    expect(clientAddress({ [PEER_HEADER]: "10.0.0.2" }, true)).toBe("10.0.0.2");
  });
});
