import { describe, expect, it } from "vitest";
import { TransportError, showCommand } from "./errors";
import { checkHostKey, classifyConnectError } from "./ssh-connect";
import { sftpError, sftpPath } from "./ssh-sftp";

const ED = "AAAAC3NzaC1lZDI1NTE5AAAAIJOyi507OGg11gCqBJeDd+sb06hLst/Tg6hsDCPAKviC";
const ED_FP = "SHA256:QRwj+Gg0WkVPReAEneJ8oPTTL5iozLFpRS3PQQFqLgE";
const RSA =
  "AAAAB3NzaC1yc2EAAAADAQABAAAAgQCmhvytA3SSIRkUww4VC3o3VQNBayRIEZ04/f2rzlBwBUoswMSxw0Dd7kwCS0xqEjPbH3teTH7oZC9LJgy5z072koBcssarbhB5yUjBfUoYNdh6Zdrqt2tO5RLY0hVnCyd9G6pB1GdkjbA1oCv2GRrF+dz3HbLJ0Tc8UzB0HxtqWQ==";
const RSA_FP = "SHA256:uJ0u4cIrQPd309eo16Vtg6+iBzolIWhuMs9PXOcQobM";
const W = "u@h:22";

describe("host key check", () => {
  const offered = Buffer.from(ED, "base64");
  it("accepts the pinned key, and an unpinned one only under trust on first use", () => {
    expect(checkHostKey(offered, ED, false, W)).toBeNull();
    expect(checkHostKey(offered, null, true, W)).toBeNull();
  });

  it("refuses an unpinned key with the key and its fingerprint", () => {
    const e = checkHostKey(offered, null, false, W);
    expect(e?.code).toBe("HOSTKEY_UNKNOWN");
    expect(e?.offeredHostKey).toEqual({ algo: "ssh-ed25519", key: ED, fingerprint: ED_FP });
    expect(e?.message).toContain(`${W} offered the host key ${ED_FP}`);
  });

  it("refuses a different key, naming both fingerprints", () => {
    const e = checkHostKey(offered, RSA, false, W);
    expect(e?.code).toBe("HOSTKEY_CHANGED");
    expect(e?.detail.pinnedFingerprint).toBe(RSA_FP);
    expect(e?.message).toContain(`pinned ${RSA_FP}, offered ${ED_FP}`);
    expect(checkHostKey(offered, RSA, true, W)?.code).toBe("HOSTKEY_CHANGED"); // TOFU never overrides a pin
  });
});

describe("connection errors", () => {
  const err = (message: string, extra: { level?: string; code?: string }) =>
    Object.assign(new Error(message), extra);
  it("maps socket, timeout, protocol and authentication failures", () => {
    const cases: [Error & { level?: string; code?: string }, string, RegExp][] = [
      [
        err("connect ECONNREFUSED", { level: "client-socket", code: "ECONNREFUSED" }),
        "UNREACHABLE",
        /^cannot reach u@h:22: connection refused/,
      ],
      [
        err("getaddrinfo ENOTFOUND h", { level: "client-socket", code: "ENOTFOUND" }),
        "UNREACHABLE",
        /host name not found/,
      ],
      [
        err("Timed out while waiting for handshake", { level: "client-timeout" }),
        "UNREACHABLE",
        /no SSH handshake within 15 s/,
      ],
      [err("Connection lost before handshake", { level: "protocol" }), "UNREACHABLE", /SSH handshake failed/],
      [
        err("All configured authentication methods failed", { level: "client-authentication" }),
        "AUTH",
        /refused the credentials/,
      ],
      [err("Failed to connect to agent", { level: "agent" }), "AUTH", /ssh-agent .* cannot be used/],
      [err("something else", {}), "DISCONNECTED", /failed: something else/],
    ];
    for (const [e, code, msg] of cases) {
      const t = classifyConnectError(e, W, 15_000);
      expect([t.code, t.message]).toEqual([code, expect.stringMatching(msg)]);
      expect(t.detail.target).toBe(W);
    }
  });
});

describe("errors and paths", () => {
  it("knows which codes are worth retrying, unless told otherwise", () => {
    expect(new TransportError("TIMEOUT", "x").retryable).toBe(true);
    expect(new TransportError("AUTH", "x").retryable).toBe(false);
    expect(new TransportError("DISCONNECTED", "x", { retryable: false }).retryable).toBe(false);
    expect(new TransportError("REMOTE", "x").offeredHostKey).toBeNull();
  });

  it("shows commands on one short line", () => {
    expect(showCommand("echo  a\n  b")).toBe("`echo a b`");
    expect(showCommand("x".repeat(200))).toBe(`\`${"x".repeat(77)}...\``);
  });

  it("maps SFTP status codes and expands ~ for SFTP", () => {
    expect(
      sftpError(Object.assign(new Error("No such file"), { code: 2 }), "read", "/p", W).detail.missing,
    ).toBe(true);
    expect(
      sftpError(Object.assign(new Error("Permission denied"), { code: 3 }), "read", "/p", W).message,
    ).toMatch(/permission denied/);
    expect(sftpError(new Error("No response from server"), "read", "/p", W).code).toBe("DISCONNECTED");
    expect([sftpPath("~"), sftpPath("~/a/b"), sftpPath("/abs"), sftpPath("rel"), sftpPath("~x")]).toEqual([
      ".",
      "a/b",
      "/abs",
      "rel",
      "~x",
    ]);
  });
});
