import { describe, expect, it } from "vitest";
import { isPrivateAddress, webhookUrlRefusal } from "./destination";

describe("webhook destinations", () => {
  it.each([
    "127.0.0.1",
    "127.9.9.9",
    "0.0.0.0",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:7f00:1",
    "64:ff9b::7f00:1",
    "2002:7f00:1::1",
    "not an address",
  ])("%s is not public", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });
  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "%s is public",
    (ip) => {
      expect(isPrivateAddress(ip)).toBe(false);
    },
  );
  it("refuses literal private URLs and localhost when saving, unless allowed", () => {
    expect(webhookUrlRefusal("http://127.0.0.1:8080/x", false)).toMatch(/public addresses/);
    expect(webhookUrlRefusal("http://api.localhost/x", false)).toMatch(/public addresses/);
    expect(webhookUrlRefusal("http://[::ffff:192.168.0.1]/x", false)).toMatch(/public addresses/);
    expect(webhookUrlRefusal("https://hooks.example.org/em", false)).toBeNull();
    expect(webhookUrlRefusal("http://127.0.0.1:8080/x", true)).toBeNull();
  });
});
