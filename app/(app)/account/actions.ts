"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fail, ok, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { setSshAgentAllowed } from "@/lib/db/users";
import { allowPrivateFromEnv, webhookUrlRefusal } from "@/lib/notify/destination";
import { ZNotifySettings, type TNotifySettings } from "@/lib/notify/settings";

export async function saveNotifySettingsAction(
  input: TNotifySettings,
): Promise<ActionResult<TNotifySettings>> {
  const user = await requireUser();
  const parsed = ZNotifySettings.safeParse(input);
  if (!parsed.success) {
    const fe = parsed.error.flatten().fieldErrors;
    return fail("INVALID_INPUT", parsed.error.issues[0]?.message ?? "Invalid settings.", fe);
  }
  const s = parsed.data;
  const refused = s.notifyWebhook
    ? webhookUrlRefusal(s.notifyWebhook, allowPrivateFromEnv(process.env))
    : null;
  if (refused) return fail("INVALID_INPUT", refused, { notifyWebhook: [refused] });
  await db().user.update({
    where: { id: user.id },
    data: {
      notifyOnRunEnd: s.notifyOnRunEnd,
      notifyEmail: s.notifyEmail || null,
      notifyWebhook: s.notifyWebhook || null,
    },
  });
  revalidatePath("/account");
  return ok(s);
}

const ZAgentAccess = z.object({ userId: z.string().min(1).max(64), allowed: z.boolean() });

/** Administrators only: may this account's keyless resources use the server's ssh-agent? */
export async function setAgentAccessAction(
  input: z.input<typeof ZAgentAccess>,
): Promise<ActionResult<{ allowed: boolean }>> {
  const user = await requireUser();
  const parsed = ZAgentAccess.safeParse(input);
  if (!parsed.success) return fail("INVALID_INPUT", "Invalid input.");
  const r = await setSshAgentAllowed(db(), user.id, parsed.data.userId, parsed.data.allowed);
  if (!r.ok) return fail(r.code, r.message);
  revalidatePath("/account");
  return ok({ allowed: parsed.data.allowed });
}
