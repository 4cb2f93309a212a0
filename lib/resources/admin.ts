import { createHash } from "node:crypto";
import { z } from "zod";
import { probeFor } from "../bundle/probes";
import { seal } from "../crypto/secret-box";
import { transportFor } from "./access";
import { ZBatchWord, ZEnvLine, ZHostname, ZPort, ZRemotePath, ZUsername } from "../shell/patterns";
import { sha256Fingerprint } from "../transport/fingerprint";
import { isTransportError, type Transport } from "../transport/types";
import type { Db } from "../db/client";

/** Adding SSH resources, pinning host keys and probing them: the Resources page's server side. */
export const ZResourceInput = z.object({
  label: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, "A label of letters, digits, _ . - (at most 40)."),
  kind: z.enum(["slurm", "pbs", "lsf", "sge", "fork"]),
  host: ZHostname,
  port: ZPort.default(22),
  username: ZUsername,
  defaultQueue: z.union([z.literal(""), ZBatchWord]).default(""),
  project: z.union([z.literal(""), ZBatchWord]).default(""),
  workDir: z.union([z.literal(""), ZRemotePath]).default(""),
  envSetup: z
    .string()
    .max(5000)
    .default("")
    .superRefine((v, ctx) => {
      v.split("\n").forEach((l, i) => {
        const r = ZEnvLine.safeParse(l.trim());
        if (!r.success)
          ctx.addIssue({ code: "custom", message: `line ${i + 1}: ${r.error.issues[0]?.message}` });
      });
    }),
  privateKey: z.string().max(20_000).default(""),
  passphrase: z.string().max(1000).default(""),
});
export type TResourceInput = z.input<typeof ZResourceInput>;

export type AdminResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[] | undefined> };

/**
 * Seals an uploaded private key (and its passphrase) as a new credential of the user: shared by
 * creating and editing a resource. Refuses text that is not a PEM private key.
 */
export async function storeKeyCredential(
  db: Db,
  userId: string,
  resourceLabel: string,
  privateKey: string,
  passphrase: string | undefined | null,
  secret: string,
): Promise<AdminResult<string>> {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey))
    return {
      ok: false,
      code: "INVALID_INPUT",
      message: "That is not a private key (it should start with -----BEGIN … PRIVATE KEY-----).",
      fieldErrors: { privateKey: ["Not a private key."] },
    };
  const cred = await db.credential.create({
    data: {
      userId,
      label: `${resourceLabel} key ${new Date().toISOString()}`,
      kind: "key",
      encryptedKey: seal(privateKey.trim() + "\n", secret),
      encryptedPassphrase: passphrase ? seal(passphrase, secret) : null,
      publicFingerprint: createHash("sha256").update(privateKey).digest("hex").slice(0, 16),
    },
    select: { id: true },
  });
  return { ok: true, value: cred.id };
}

export async function createSshResource(
  db: Db,
  userId: string,
  input: unknown,
  secret: string,
): Promise<AdminResult<{ id: string }>> {
  const p = ZResourceInput.safeParse(input);
  if (!p.success)
    return {
      ok: false,
      code: "INVALID_INPUT",
      message: p.error.issues[0]?.message ?? "Invalid input.",
      fieldErrors: p.error.flatten().fieldErrors,
    };
  const v = p.data;
  if (await db.resource.findFirst({ where: { userId, label: v.label } }))
    return { ok: false, code: "TAKEN", message: `You already have a resource called ${v.label}.` };
  let credentialId: string | null = null;
  if (v.privateKey.trim()) {
    const cred = await storeKeyCredential(db, userId, v.label, v.privateKey, v.passphrase, secret);
    if (!cred.ok) return cred;
    credentialId = cred.value;
  }
  const r = await db.resource.create({
    data: {
      userId,
      label: v.label,
      kind: v.kind,
      host: v.host,
      port: v.port,
      username: v.username,
      credentialId,
      defaultQueue: v.defaultQueue || null,
      project: v.project || null,
      workDir: v.workDir || null,
      envSetup: v.envSetup.trim(),
    },
    select: { id: true },
  });
  return { ok: true, value: r };
}

export async function pinHostKey(
  db: Db,
  userId: string,
  resourceId: string,
  keyB64: string,
): Promise<AdminResult<{ fingerprint: string }>> {
  const r = await db.resource.findFirst({ where: { id: resourceId, userId }, select: { id: true } });
  if (!r) return { ok: false, code: "NOT_FOUND", message: "No such resource in your account." };
  const blob = Buffer.from(keyB64, "base64");
  const fingerprint = sha256Fingerprint(blob);
  await db.resource.update({
    where: { id: r.id },
    data: { hostKey: keyB64, hostKeyFingerprint: fingerprint },
  });
  return { ok: true, value: { fingerprint } };
}

export type ProbeOutcome =
  | { ok: true; snapshotId: string; queues: number; tookMs: number }
  | {
      ok: false;
      code: string;
      message: string;
      hostKey?: { fingerprint: string; key: string; algo: string };
    };

/** Connects, runs the batch system's probe, stores the snapshot (or the exact failure) as history. */
export async function probeResource(
  db: Db,
  userId: string,
  resourceId: string,
  secret: string,
): Promise<ProbeOutcome> {
  const r = await db.resource.findFirst({
    where: { id: resourceId, userId },
    select: { id: true, label: true, kind: true, host: true },
  });
  if (!r) return { ok: false, code: "NOT_FOUND", message: "No such resource in your account." };
  if (r.kind === "local")
    return { ok: false, code: "LOCAL", message: "The local resource needs no probe: it is this machine." };
  const t0 = Date.now();
  const fail = async (code: string, message: string) => {
    await db.resourceSnapshot.create({
      data: { resourceId: r.id, ok: false, errorCode: code, error: message, durationMs: Date.now() - t0 },
    });
    return { ok: false as const, code, message };
  };
  // a resource that may not use the server's ssh-agent gets no transport: its AUTH error is the outcome
  let transport: Transport;
  try {
    transport = (await transportFor(db, r.id, secret)).transport;
  } catch (e: unknown) {
    if (isTransportError(e)) return fail(e.code, e.message);
    throw e;
  }
  try {
    const probe = probeFor(r.kind);
    if (!probe) return await fail("UNSUPPORTED", `a ${r.kind} resource has no batch system to probe`);
    const out = await transport.exec(probe.command, { timeoutMs: 30_000 });
    if (out.code !== 0)
      return await fail(
        "BATCH_NOT_FOUND",
        `the ${probe.name} commands failed on ${r.host}: ${(out.stderr || out.stdout).trim().slice(0, 500) || `exit code ${out.code}`}`,
      );
    const snap = probe.parse(out.stdout, {
      resourceId: r.id,
      label: r.label,
      host: r.host ?? "",
      now: new Date(),
    });
    const row = await db.resourceSnapshot.create({
      data: { resourceId: r.id, ok: true, data: JSON.stringify(snap), durationMs: Date.now() - t0 },
      select: { id: true },
    });
    return { ok: true, snapshotId: row.id, queues: snap.queues.length, tookMs: Date.now() - t0 };
  } catch (e: unknown) {
    if (isTransportError(e)) {
      const o = await fail(e.code, e.message);
      return e.code === "HOSTKEY_UNKNOWN" || e.code === "HOSTKEY_CHANGED"
        ? {
            ...o,
            hostKey: {
              fingerprint: e.detail.fingerprint ?? "",
              key: e.detail.key ?? "",
              algo: e.detail.algo ?? "",
            },
          }
        : o;
    }
    return fail("ERROR", e instanceof Error ? e.message : String(e));
  } finally {
    await transport.close();
  }
}
