import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, transportConformance } from "../test-support/transport-conformance";
import { parsePublicKeyLine, sha256Fingerprint } from "./fingerprint";
import { clusterAccess, freshKeyPair, type ClusterAccess } from "../test-support/cluster";
import type { HostKeyInfo } from "./types";

// Against the real sshd on 127.0.0.1:2222 (scripts/cluster/up.sh, started here when needed).
let c: ClusterAccess;
beforeAll(() => {
  c = clusterAccess();
});

transportConformance("ssh", async () => {
  const transport = c.transport();
  const dir = `${c.info.home}/em-transport-${process.pid}-${Date.now()}`;
  await transport.mkdirp(dir);
  return { transport, make: () => c.transport(), dir };
});

describe("ssh: the host key", () => {
  const sshKeygenFingerprint = (): string =>
    execFileSync("ssh-keygen", ["-lf", c.info.hostKeyFile]).toString().split(" ")[1] ?? "";

  it("computes fingerprints exactly as OpenSSH prints them", () => {
    expect(sha256Fingerprint(Buffer.from(c.info.hostKey, "base64"))).toBe(sshKeygenFingerprint());
    expect(parsePublicKeyLine(readFileSync(c.info.knownHostsFile, "utf8"))?.fingerprint).toBe(
      sshKeygenFingerprint(),
    );
    expect(c.info.hostKeyFingerprint).toBe(sshKeygenFingerprint());
  });

  it("refuses an unknown host key, carrying the key and its fingerprint for the caller to pin", async () => {
    const e = await failure(c.transport({ hostKey: null }).exec("true"));
    expect(e.code).toBe("HOSTKEY_UNKNOWN");
    expect(e.offeredHostKey).toEqual({
      algo: "ssh-ed25519",
      key: c.info.hostKey,
      fingerprint: sshKeygenFingerprint(),
    });
    expect(e.message).toContain(sshKeygenFingerprint());
    expect(e.message).toContain("hpcuser@127.0.0.1:2222");
    expect(e.retryable).toBe(false);
  });

  it("pins on first use only when asked, and keeps that pin", async () => {
    const seen: HostKeyInfo[] = [];
    const t = c.transport({ hostKey: null, trustOnFirstUse: true, onHostKeyPinned: (k) => seen.push(k) });
    expect((await t.exec("echo in")).stdout).toBe("in\n");
    expect(seen).toEqual([{ algo: "ssh-ed25519", key: c.info.hostKey, fingerprint: sshKeygenFingerprint() }]);
    expect(t.hostKey).toBe(c.info.hostKey);
    await t.close();
  });

  it("refuses a changed host key, naming both fingerprints", async () => {
    const other = parsePublicKeyLine(freshKeyPair()[1]);
    const e = await failure(c.transport({ hostKey: other?.key ?? "" }).exec("true"));
    expect(e.code).toBe("HOSTKEY_CHANGED");
    expect(e.message).toContain(other?.fingerprint);
    expect(e.message).toContain(sshKeygenFingerprint());
    expect(e.detail.pinnedFingerprint).toBe(other?.fingerprint);
    expect(e.offeredHostKey?.fingerprint).toBe(sshKeygenFingerprint());
  });
});

describe("ssh: reaching the host and authenticating", () => {
  it("says UNREACHABLE for a port nobody listens on", async () => {
    const e = await failure(c.transport({ port: 1 }).exec("true"));
    expect([e.code, e.retryable]).toEqual(["UNREACHABLE", true]);
    expect(e.message).toMatch(/^cannot reach hpcuser@127\.0\.0\.1:1: connection refused/);
  });

  it("says AUTH for a key the server does not know, or no credentials at all", async () => {
    const e = await failure(c.transport({ privateKey: freshKeyPair()[0] }).exec("true"));
    expect([e.code, e.retryable]).toEqual(["AUTH", false]);
    expect(e.message).toMatch(/hpcuser@127\.0\.0\.1:2222 refused the credentials.*authorized_keys/);
    expect((await failure(c.transport({ privateKey: undefined }).exec("true"))).message).toMatch(
      /^no credentials for hpcuser@127\.0\.0\.1:2222/,
    );
  });

  it("uses a passphrase-protected key, and says AUTH for a wrong or missing passphrase", async () => {
    const key = readFileSync(c.info.passphraseKey.privateKeyPath, "utf8");
    const passphrase = readFileSync(c.info.passphraseKey.passphraseFile, "utf8").trim();
    expect((await c.transport({ privateKey: key, passphrase }).exec("whoami")).stdout).toBe("hpcuser\n");
    const wrong = await failure(c.transport({ privateKey: key, passphrase: "not it" }).exec("true"));
    expect(wrong.code).toBe("AUTH");
    expect(wrong.message).toMatch(/private key for hpcuser@127\.0\.0\.1:2222 cannot be used.*passphrase/);
    expect((await failure(c.transport({ privateKey: key }).exec("true"))).code).toBe("AUTH");
  });

  describe("with an ssh-agent", () => {
    let agent: ChildProcess;
    let sock: string;
    beforeAll(async () => {
      sock = path.join(mkdtempSync(path.join(tmpdir(), "em-agent-")), "agent.sock");
      agent = spawn("ssh-agent", ["-D", "-a", sock], { stdio: "ignore" });
      for (let i = 0; i < 50 && !existsSock(sock); i++) await new Promise((r) => setTimeout(r, 50));
    });
    afterAll(() => {
      agent.kill();
    });

    it("authenticates through the agent, and says AUTH when the agent lacks the key", async () => {
      const empty = await failure(c.transport({ privateKey: undefined, agent: sock }).exec("true"));
      expect(empty.code).toBe("AUTH");
      execFileSync("ssh-add", ["-q", c.info.privateKeyPath], {
        env: { ...process.env, SSH_AUTH_SOCK: sock },
      });
      const t = c.transport({ privateKey: undefined, agent: sock });
      expect((await t.exec("whoami")).stdout).toBe("hpcuser\n");
      await t.close();
      expect(
        (await failure(c.transport({ privateKey: undefined, agent: `${sock}.missing` }).exec("true"))).code,
      ).toBe("AUTH");
    });
  });
});

function existsSock(p: string): boolean {
  try {
    execFileSync("test", ["-S", p]);
    return true;
  } catch {
    return false;
  }
}
