import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { open } from "../crypto/secret-box";
import { openDb } from "../db/client";
import { createSshResource } from "./admin";
import { deleteResource, deleteResourceKey, importBundleResources, updateSshResource } from "./edit";

const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-res-")), "em.db")}`);
afterAll(() => db.$disconnect());
const SECRET = "test-secret-for-resource-edit-0123456789";
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----";
const base = {
  label: "stampede",
  kind: "slurm",
  host: "login.example.org",
  port: 22,
  username: "alice",
} as const;

async function user(email: string) {
  return db.user.create({ data: { email, passwordHash: "h" } });
}

describe("resource editing, deletion and bundle import (real SQLite)", () => {
  it("edits fields and per-queue limits, replaces the key (deleting the old one) and validates like creation", async () => {
    const a = await user("edit-a@x.org");
    const made = await createSshResource(db, a.id, { ...base, privateKey: KEY }, SECRET);
    if (!made.ok) throw new Error(made.message);
    const before = await db.resource.findUniqueOrThrow({ where: { id: made.value.id } });
    const bad = await updateSshResource(
      db,
      a.id,
      made.value.id,
      { ...base, queueLimits: '{"normal": {"maxWalltimeSeconds": -5}}' },
      SECRET,
    );
    expect(bad).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(!bad.ok && bad.fieldErrors?.queueLimits?.[0]).toMatch(/normal\.maxWalltimeSeconds/);
    const inj = await updateSshResource(
      db,
      a.id,
      made.value.id,
      { ...base, defaultQueue: "normal;rm -rf ~" },
      SECRET,
    );
    expect(inj).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    const newKey = KEY.replace("AAAA", "BBBB");
    const ok = await updateSshResource(
      db,
      a.id,
      made.value.id,
      {
        ...base,
        host: "login2.example.org",
        coresPerNode: 16,
        queueLimits: '{"normal": {"maxWalltimeSeconds": 172800}}',
        privateKey: newKey,
      },
      SECRET,
    );
    expect(ok.ok).toBe(true);
    const after = await db.resource.findUniqueOrThrow({
      where: { id: made.value.id },
      include: { credential: { omit: { encryptedKey: false } } },
    });
    expect([after.host, after.coresPerNode, JSON.parse(after.queueLimits)]).toEqual([
      "login2.example.org",
      16,
      { normal: { maxWalltimeSeconds: 172800 } },
    ]);
    expect(open(after.credential!.encryptedKey!, SECRET)).toContain("BBBB");
    expect(await db.credential.findUnique({ where: { id: before.credentialId! } })).toBeNull();
  });

  it("deletes a key (the resource falls back to the agent) and deletes unused resources, never another user's", async () => {
    const a = await user("del-a@x.org");
    const b = await user("del-b@x.org");
    const made = await createSshResource(db, a.id, { ...base, privateKey: KEY }, SECRET);
    if (!made.ok) throw new Error(made.message);
    expect(await deleteResourceKey(db, b.id, made.value.id)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await deleteResource(db, b.id, made.value.id)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await updateSshResource(db, b.id, made.value.id, base, SECRET)).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await deleteResourceKey(db, a.id, made.value.id)).toMatchObject({ ok: true });
    expect(await db.credential.count({ where: { userId: a.id } })).toBe(0);
    expect(await deleteResourceKey(db, a.id, made.value.id)).toMatchObject({ ok: false, code: "NO_KEY" });
    expect(await deleteResource(db, a.id, made.value.id)).toMatchObject({ ok: true });
    expect(await db.resource.count({ where: { userId: a.id } })).toBe(0);
  });

  it("refuses to delete a resource an unfinished run uses", async () => {
    const a = await user("busy-a@x.org");
    const made = await createSshResource(db, a.id, base, SECRET);
    if (!made.ok) throw new Error(made.message);
    const run = await db.run.create({
      data: { userId: a.id, name: "busy run", strategy: "adaptive", plan: "{}", state: "ACTIVE" },
    });
    await db.pilot.create({
      data: {
        runId: run.id,
        index: 0,
        resourceId: made.value.id,
        label: "stampede",
        kind: "slurm",
        cores: 2,
        nodes: 1,
        walltimeMinutes: 10,
      },
    });
    const r = await deleteResource(db, a.id, made.value.id);
    expect(r).toMatchObject({ ok: false, code: "IN_USE" });
    expect(!r.ok && r.message).toMatch(/busy run/);
  });

  it("imports the original SC2014 bundle configuration with a report of what was skipped", async () => {
    const a = await user("imp-a@x.org");
    const text = readFileSync(
      path.resolve(process.cwd(), "../shared/fixtures/bundles/emanager_bundle_demo_SC2014.conf"),
      "utf8",
    );
    const placeholders = await importBundleResources(db, a.id, text);
    expect(placeholders.ok && placeholders.value.created).toEqual([]);
    expect(placeholders.ok && placeholders.value.skipped[0]?.why).toMatch(
      /<INSERT_STAMPEDE_USERNAME> is a placeholder/,
    );
    const r = await importBundleResources(
      db,
      a.id,
      text +
        "\ncluster_type=condor hostname=osg.example.org username=bob\ncluster_type=slurm hostname=bad;host username=x\n",
      { username: "alice" },
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.value.created.map((c) => [c.label, c.kind, c.username])).toEqual([
      ["stampede", "slurm", "alice"],
      ["trestles", "pbs", "alice"],
      ["gordon", "pbs", "alice"],
      ["blacklight", "pbs", "alice"],
      ["hopper", "pbs", "alice"],
    ]);
    expect(r.value.skipped.some((s) => /condor/.test(s.why))).toBe(true);
    expect(r.value.skipped.some((s) => /not a valid host name|unknown field|missing/.test(s.why))).toBe(true);
    const rows = await db.resource.findMany({ where: { userId: a.id } });
    expect(rows.map((x) => x.label).sort()).toEqual(r.value.created.map((c) => c.label).sort());
    const again = await importBundleResources(db, a.id, text, { username: "alice" });
    expect(again.ok && again.value.created).toEqual([]);
  });
});
