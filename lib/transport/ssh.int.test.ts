import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCluster, type ClusterInfo } from "../engine/test-cluster";
import { sh } from "../shell/quote";
import { SshTransport } from "./ssh";
import { TransportError } from "./types";

// Against the real sshd on loopback (scripts/cluster/up.sh).
let cl: ClusterInfo;
let key: string;
let t: SshTransport;
beforeAll(() => {
  cl = ensureCluster();
  key = readFileSync(cl.privateKeyPath, "utf8");
  t = new SshTransport({ host: cl.host, port: cl.port, username: cl.user, privateKey: key, hostKey: cl.hostKey });
});
afterAll(() => t.close());

async function failure(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (e: unknown) {
    if (e instanceof TransportError) return e;
    throw e;
  }
  throw new Error("expected a TransportError");
}

describe("SSH transport (real sshd)", () => {
  it("runs commands and moves files, values with shell metacharacters arrive verbatim", async () => {
    const nasty = "it's $(id) `x` ; a\nb";
    const r = await t.exec(`printf %s ${sh(nasty)}`);
    expect([r.code, r.stdout]).toEqual([0, nasty]);
    const f = `/home/${cl.user}/em-transport-test.txt`;
    await t.writeFile(f, "hello world");
    expect((await t.readFile(f, { offset: 6 })).toString()).toBe("world");
    await t.rename(f, `${f}.2`);
    expect(await t.stat(f)).toBeNull();
    expect((await t.stat(`${f}.2`))?.size).toBe(11);
  });
  it("completes many concurrent commands beyond the session limit", async () => {
    const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => t.exec(`echo ${i}`)));
    expect(rs.map((r) => Number(r.stdout))).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
  it("times out a command that hangs", async () => {
    const e = await failure(t.exec("sleep 10", { timeoutMs: 500 }));
    expect([e.code, e.message]).toEqual(["TIMEOUT", expect.stringMatching(/took longer than 0.5 s/)]);
  });
  it("reconnects after the connection is dropped", async () => {
    expect((await t.exec("echo before")).stdout).toBe("before\n");
    execFileSync("pkill", ["-f", `sshd: ${cl.user}`]);
    await new Promise((r) => setTimeout(r, 300));
    let out = "";
    for (let i = 0; i < 5 && !out; i++) out = (await t.exec("echo after").catch(() => ({ stdout: "" }))).stdout;
    expect(out).toBe("after\n");
  });
  it("gives a wrong port, a wrong key, an unknown and a changed host key each their own clear error", async () => {
    const wrongPort = await failure(new SshTransport({ host: cl.host, port: 1, username: cl.user, privateKey: key, hostKey: cl.hostKey }).exec("true"));
    expect(wrongPort.code).toBe("UNREACHABLE");
    expect(wrongPort.message).toMatch(/cannot reach hpcuser@127.0.0.1:1/);
    const otherKey = execFileSync("bash", ["-c", "d=$(mktemp -d) && ssh-keygen -q -t ed25519 -N '' -f $d/k && cat $d/k"]).toString();
    const wrongKey = await failure(new SshTransport({ host: cl.host, port: cl.port, username: cl.user, privateKey: otherKey, hostKey: cl.hostKey }).exec("true"));
    expect(wrongKey.code).toBe("AUTH");
    const unknown = await failure(new SshTransport({ host: cl.host, port: cl.port, username: cl.user, privateKey: key, hostKey: null }).exec("true"));
    expect(unknown.code).toBe("HOSTKEY_UNKNOWN");
    const expected = execFileSync("ssh-keygen", ["-lf", cl.hostKeyFile]).toString().split(" ")[1];
    expect(unknown.detail.fingerprint).toBe(expected);
    expect(unknown.detail.key).toBe(cl.hostKey);
    const fake = Buffer.from(cl.hostKey, "base64");
    fake[fake.length - 1] = fake[fake.length - 1]! ^ 0xff;
    const changed = await failure(new SshTransport({ host: cl.host, port: cl.port, username: cl.user, privateKey: key, hostKey: fake.toString("base64") }).exec("true"));
    expect(changed.code).toBe("HOSTKEY_CHANGED");
    expect(changed.message).toContain(expected);
  });
});
