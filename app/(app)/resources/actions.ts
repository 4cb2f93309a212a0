"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { fail, ok, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { serverSecret } from "@/lib/config/secret";
import { db } from "@/lib/db/client";
import {
  createSshResource,
  pinHostKey,
  probeResource,
  type ProbeOutcome,
  type TResourceInput,
} from "@/lib/resources/admin";
import {
  deleteResource,
  deleteResourceKey,
  importBundleResources,
  updateSshResource,
  type BundleImportReport,
  type TResourceEdit,
} from "@/lib/resources/edit";

export async function createResourceAction(input: TResourceInput): Promise<ActionResult<never>> {
  const user = await requireUser();
  const r = await createSshResource(db(), user.id, input, serverSecret());
  if (!r.ok) return fail(r.code, r.message, r.fieldErrors);
  redirect(`/resources?added=${r.value.id}`);
}

/** "Test connection": connect, pin nothing silently, run the probe, keep the result as history. */
export async function testConnectionAction(resourceId: string): Promise<ActionResult<ProbeOutcome>> {
  const user = await requireUser();
  const r = await probeResource(db(), user.id, String(resourceId).slice(0, 64), serverSecret());
  revalidatePath("/resources");
  return ok(r);
}

/** The user checked the fingerprint and accepts this host key; it is pinned from now on. */
export async function acceptHostKeyAction(
  resourceId: string,
  keyB64: string,
): Promise<ActionResult<{ fingerprint: string }>> {
  const user = await requireUser();
  if (!/^[A-Za-z0-9+/=]{32,2000}$/.test(keyB64)) return fail("INVALID_INPUT", "Not a host key.");
  const r = await pinHostKey(db(), user.id, String(resourceId).slice(0, 64), keyB64);
  if (!r.ok) return fail(r.code, r.message);
  revalidatePath("/resources");
  return ok(r.value);
}

export async function updateResourceAction(
  resourceId: string,
  input: TResourceEdit,
): Promise<ActionResult<never>> {
  const user = await requireUser();
  const r = await updateSshResource(db(), user.id, String(resourceId).slice(0, 64), input, serverSecret());
  if (!r.ok) return fail(r.code, r.message, r.fieldErrors);
  revalidatePath("/resources");
  redirect(`/resources?saved=${r.value.id}`);
}

export async function deleteResourceAction(resourceId: string): Promise<ActionResult<{ id: string }>> {
  const user = await requireUser();
  const r = await deleteResource(db(), user.id, String(resourceId).slice(0, 64));
  revalidatePath("/resources");
  return r.ok ? ok(r.value) : fail(r.code, r.message);
}

export async function deleteKeyAction(resourceId: string): Promise<ActionResult<{ id: string }>> {
  const user = await requireUser();
  const r = await deleteResourceKey(db(), user.id, String(resourceId).slice(0, 64));
  revalidatePath("/resources");
  return r.ok ? ok(r.value) : fail(r.code, r.message);
}

export async function importBundleAction(
  text: string,
  username: string,
): Promise<ActionResult<BundleImportReport>> {
  const user = await requireUser();
  const r = await importBundleResources(
    db(),
    user.id,
    String(text),
    username.trim() ? { username: username.trim() } : {},
  );
  revalidatePath("/resources");
  return r.ok ? ok(r.value) : fail(r.code, r.message);
}
