import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { probeResource } from "./admin";
import { setSshAgentAllowed } from "../db/users";
import { clusterAccess } from "../test-support/cluster";
import { isTransportError } from "../transport/types";
import { sshPool, transportFor } from "./access";

// The server's ssh-agent for real: an ssh-agent holding the loopback cluster's key, the loopback
// sshd, and two accounts with a keyless resource each. Before the fix, both could run commands as
// hpcuser through the agent; now only the administrator, or an account an administrator allowed.
const c = clusterAccess();
const dir = mkdtempSync(path.join(os.tmpdir(), "em-agent-"));
const sock = path.join(dir, "agent.sock");
const db = openDb(`file:${path.join(dir, "em.db")}`);
const SECRET = "test-secret-for-agent-policy-0123456789";
let agent: ChildProcess;
const savedSock = process.env.SSH_AUTH_SOCK;

beforeAll(async () => {
  agent = spawn("ssh-agent", ["-D", "-a", sock], { stdio: "ignore" });
  for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  execFileSync("ssh-add", [c.info.privateKeyPath], {
    env: { ...process.env, SSH_AUTH_SOCK: sock },
    stdio: "pipe",
  });
  process.env.SSH_AUTH_SOCK = sock;
});
afterAll(async () => {
  if (savedSock === undefined) delete process.env.SSH_AUTH_SOCK;
  else process.env.SSH_AUTH_SOCK = savedSock;
  agent.kill("SIGTERM");
  await db.$disconnect();
});

async function keylessResource(email: string, role: "admin" | "user") {
  const u = await db.user.create({ data: { email, passwordHash: "h", role } });
  const r = await db.resource.create({
    data: {
      userId: u.id,
      label: "loopback",
      kind: "fork",
      host: c.info.host,
      port: c.info.port,
      username: c.info.user,
      hostKey: c.info.hostKey,
      hostKeyFingerprint: c.info.hostKeyFingerprint,
    },
  });
  return { user: u, resource: r };
}

async function whoami(resourceId: string): Promise<string> {
  const { transport } = await transportFor(db, resourceId, SECRET);
  try {
    return (await transport.exec("whoami", { timeoutMs: 20_000 })).stdout.trim();
  } finally {
    await transport.close();
  }
}

describe("the server's ssh-agent (real ssh-agent, loopback sshd)", () => {
  it("is used for the administrator's keyless resource", async () => {
    const { resource } = await keylessResource("agent-admin@x.org", "admin");
    expect(await whoami(resource.id)).toBe(c.info.user);
  }, 30_000);

  it("is refused to another account with an AUTH error saying why, in the engine and in Test connection", async () => {
    const { user, resource } = await keylessResource("agent-user@x.org", "user");
    const pooled = sshPool().size;
    const err: unknown = await whoami(resource.id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isTransportError(err) && err.code).toBe("AUTH");
    expect(String((err as Error).message)).toMatch(/only for accounts an administrator has allowed/);
    const probe = await probeResource(db, user.id, resource.id, SECRET);
    expect(probe).toMatchObject({ ok: false, code: "AUTH" });
    const snap = await db.resourceSnapshot.findFirstOrThrow({ where: { resourceId: resource.id } });
    expect([snap.ok, snap.errorCode]).toEqual([false, "AUTH"]);
    // no connection was even opened for this account
    expect(sshPool().size).toBe(pooled);
  }, 30_000);

  it("is used once an administrator allows the account, and refused again when revoked; no one else can allow it", async () => {
    const admin = await db.user.findUniqueOrThrow({ where: { email: "agent-admin@x.org" } });
    const { user, resource } = await keylessResource("agent-allowed@x.org", "user");
    expect(await setSshAgentAllowed(db, user.id, user.id, true)).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    await expect(whoami(resource.id)).rejects.toMatchObject({ code: "AUTH" });
    expect(await setSshAgentAllowed(db, admin.id, user.id, true)).toEqual({ ok: true });
    expect(await whoami(resource.id)).toBe(c.info.user);
    expect(await setSshAgentAllowed(db, admin.id, user.id, false)).toEqual({ ok: true });
    await expect(whoami(resource.id)).rejects.toMatchObject({ code: "AUTH" });
  }, 30_000);

  it("says so when the server has no agent at all", async () => {
    const { resource } = await keylessResource("agent-none@x.org", "admin");
    delete process.env.SSH_AUTH_SOCK;
    try {
      await expect(whoami(resource.id)).rejects.toThrow(/SSH_AUTH_SOCK is unset/);
    } finally {
      process.env.SSH_AUTH_SOCK = sock;
    }
  });
});
