import { z } from "zod";
import { importBundleConf } from "../bundle/load";
import { ZBatchWord, ZHostname, ZUsername } from "../shell/patterns";
import type { Db } from "../db/client";
import { storeKeyCredential, ZResourceInput, type AdminResult } from "./admin";

/**
 * Editing, deleting and importing resources, and deleting their keys: the rest of the
 * Resources page's server side. Every function is scoped to the owner; another user's id reads
 * as "not found" so that ids cannot be probed for existence.
 */

const NOT_FOUND = { ok: false as const, code: "NOT_FOUND", message: "No such resource in your account." };
// lib/states/run.ts: NEW and ACTIVE are the states a run can still leave.
const UNFINISHED = ["NEW", "ACTIVE"];

/** Per-queue limits a user knows better than the probe (e.g. a site policy not visible in sinfo). */
export const ZQueueLimits = z.record(
  ZBatchWord,
  z
    .object({
      maxWalltimeSeconds: z
        .number()
        .int()
        .positive()
        .max(31 * 86_400)
        .optional(),
      maxCoresPerJob: z.number().int().positive().max(10_000_000).optional(),
      maxQueuedJobs: z.number().int().positive().max(1_000_000).optional(),
    })
    .strict(),
);

/** Edits keep the stored key unless a new one is given; `label` and `kind` follow the same rules as on creation. */
export const ZResourceEdit = ZResourceInput.extend({
  coresPerNode: z.union([z.literal(0), z.number().int().positive().max(100_000)]).default(0),
  queueLimits: z
    .string()
    .max(20_000)
    .default("{}")
    .superRefine((v, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v || "{}");
      } catch {
        ctx.addIssue({
          code: "custom",
          message: 'Per-queue limits must be JSON, e.g. {"normal": {"maxWalltimeSeconds": 172800}}.',
        });
        return;
      }
      const r = ZQueueLimits.safeParse(parsed);
      if (!r.success)
        ctx.addIssue({
          code: "custom",
          message: `Per-queue limits: ${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message}`,
        });
    }),
});
export type TResourceEdit = z.input<typeof ZResourceEdit>;

export async function updateSshResource(
  db: Db,
  userId: string,
  resourceId: string,
  input: unknown,
  secret: string,
): Promise<AdminResult<{ id: string }>> {
  const r = await db.resource.findFirst({
    where: { id: resourceId, userId },
    select: { id: true, kind: true, credentialId: true },
  });
  if (!r) return NOT_FOUND;
  if (r.kind === "local")
    return {
      ok: false,
      code: "LOCAL",
      message: "The local resource is this machine; it has nothing to edit.",
    };
  const p = ZResourceEdit.safeParse(input);
  if (!p.success)
    return {
      ok: false,
      code: "INVALID_INPUT",
      message: p.error.issues[0]?.message ?? "Invalid input.",
      fieldErrors: p.error.flatten().fieldErrors,
    };
  const v = p.data;
  const clash = await db.resource.findFirst({
    where: { userId, label: v.label, NOT: { id: r.id } },
    select: { id: true },
  });
  if (clash)
    return {
      ok: false,
      code: "TAKEN",
      message: `You already have a resource called ${v.label}.`,
      fieldErrors: { label: ["Taken."] },
    };
  let credentialId = r.credentialId;
  if (v.privateKey.trim()) {
    const cred = await storeKeyCredential(db, userId, v.label, v.privateKey, v.passphrase, secret);
    if (!cred.ok) return cred;
    credentialId = cred.value;
  }
  await db.resource.update({
    where: { id: r.id },
    data: {
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
      coresPerNode: v.coresPerNode || null,
      queueLimits: JSON.stringify(JSON.parse(v.queueLimits || "{}")),
    },
  });
  // A replaced key is deleted at once unless another resource still uses it: keys are not kept "just in case".
  if (credentialId !== r.credentialId && r.credentialId)
    await dropCredentialIfUnused(db, userId, r.credentialId);
  return { ok: true, value: { id: r.id } };
}

async function dropCredentialIfUnused(db: Db, userId: string, credentialId: string): Promise<void> {
  const users = await db.resource.count({ where: { credentialId } });
  if (users === 0) await db.credential.deleteMany({ where: { id: credentialId, userId } });
}

/** Deletes the stored private key; the resource falls back to the server's ssh-agent. */
export async function deleteResourceKey(
  db: Db,
  userId: string,
  resourceId: string,
): Promise<AdminResult<{ id: string }>> {
  const r = await db.resource.findFirst({
    where: { id: resourceId, userId },
    select: { id: true, credentialId: true },
  });
  if (!r) return NOT_FOUND;
  if (!r.credentialId)
    return {
      ok: false,
      code: "NO_KEY",
      message: "This resource has no stored key; it uses the server's ssh-agent.",
    };
  await db.resource.update({ where: { id: r.id }, data: { credentialId: null } });
  await dropCredentialIfUnused(db, userId, r.credentialId);
  return { ok: true, value: { id: r.id } };
}

/** Deletes a resource and its probe history; refused while a run that uses it is unfinished. */
export async function deleteResource(
  db: Db,
  userId: string,
  resourceId: string,
): Promise<AdminResult<{ id: string }>> {
  const r = await db.resource.findFirst({
    where: { id: resourceId, userId },
    select: { id: true, kind: true, label: true, credentialId: true },
  });
  if (!r) return NOT_FOUND;
  if (r.kind === "local")
    return {
      ok: false,
      code: "LOCAL",
      message: "The local resource cannot be deleted: it is every account's default.",
    };
  const busy = await db.pilot.findFirst({
    where: { resourceId: r.id, run: { state: { in: UNFINISHED } } },
    select: { run: { select: { name: true } } },
  });
  if (busy)
    return {
      ok: false,
      code: "IN_USE",
      message: `Run "${busy.run.name}" still uses ${r.label}; cancel it or let it finish first.`,
    };
  const used = await db.pilot.count({ where: { resourceId: r.id } });
  if (used > 0)
    return {
      ok: false,
      code: "IN_USE",
      message: `${used} pilot(s) of finished runs ran on ${r.label}; their records keep it. Delete its key instead if you want to revoke access.`,
    };
  await db.resource.delete({ where: { id: r.id } });
  if (r.credentialId) await dropCredentialIfUnused(db, userId, r.credentialId);
  return { ok: true, value: { id: r.id } };
}

const BATCH_OF: Record<string, "slurm" | "pbs" | "lsf"> = {
  slurm: "slurm",
  pbs: "pbs",
  moab: "pbs",
  lsf: "lsf",
};

export interface BundleImportReport {
  created: { label: string; host: string; username: string; kind: string; line: number }[];
  skipped: { line: number; text: string; why: string }[];
}

/**
 * The original's bundle configuration (`cluster_type=… hostname=… username=…` lines) into SSH
 * resources. Passwords are never stored (EManager authenticates with keys); `key_filename`
 * points at a file on the original's machine, so the user uploads the key afterwards.
 */
export async function importBundleResources(
  db: Db,
  userId: string,
  text: string,
  opts: { username?: string } = {},
): Promise<AdminResult<BundleImportReport>> {
  if (text.length > 200_000)
    return {
      ok: false,
      code: "TOO_LARGE",
      message: "A bundle configuration of more than 200 kB is not a bundle configuration.",
    };
  const rep = importBundleConf(text);
  const out: BundleImportReport = { created: [], skipped: [...rep.skipped] };
  const lines = text.split(/\r?\n/);
  for (const imp of rep.imported) {
    const lineText = lines[imp.line - 1]?.trim() ?? "";
    const host = ZHostname.safeParse(imp.hostname);
    // The shipped files carry placeholders such as <INSERT_STAMPEDE_USERNAME>; the form supplies the name.
    const placeholder = /^<.*>$/.test(imp.username);
    if (placeholder && !opts.username) {
      out.skipped.push({
        line: imp.line,
        text: lineText,
        why: `username ${imp.username} is a placeholder: give your user name in the import form`,
      });
      continue;
    }
    const username = placeholder ? opts.username! : imp.username;
    const user = ZUsername.safeParse(username);
    if (!host.success || !user.success) {
      out.skipped.push({
        line: imp.line,
        text: lineText,
        why: !host.success
          ? `hostname ${imp.hostname} is not a valid host name`
          : `username ${username} is not a valid user name`,
      });
      continue;
    }
    const label = (imp.hostname.split(".")[0] ?? imp.id).replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 40);
    if (
      await db.resource.findFirst({
        where: { userId, OR: [{ label }, { host: imp.hostname, username }] },
        select: { id: true },
      })
    ) {
      out.skipped.push({
        line: imp.line,
        text: lineText,
        why: `you already have ${label} (or ${username}@${imp.hostname})`,
      });
      continue;
    }
    const kind = BATCH_OF[imp.clusterType] ?? "slurm";
    await db.resource.create({ data: { userId, label, kind, host: imp.hostname, port: 22, username } });
    out.created.push({ label, host: imp.hostname, username, kind, line: imp.line });
    if (/\bpassword=/.test(lineText))
      out.skipped.push({
        line: imp.line,
        text: "password=…",
        why: "passwords are not stored: upload a private key for this resource (Edit)",
      });
    if (/\bkey_filename=/.test(lineText))
      out.skipped.push({
        line: imp.line,
        text: "key_filename=…",
        why: "the key file lives on the original's machine: upload the key itself (Edit)",
      });
  }
  return { ok: true, value: out };
}
