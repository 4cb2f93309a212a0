"use server";
import { revalidatePath } from "next/cache";
import { fail, ok, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { allowPrivateFromEnv, webhookUrlRefusal } from "@/lib/notify/destination";
import { ZNotifySettings, type TNotifySettings } from "@/lib/notify/settings";

export async function saveNotifySettingsAction(input: TNotifySettings): Promise<ActionResult<TNotifySettings>> {
  const user = await requireUser();
  const parsed = ZNotifySettings.safeParse(input);
  if (!parsed.success) {
    const fe = parsed.error.flatten().fieldErrors;
    return fail("INVALID_INPUT", parsed.error.issues[0]?.message ?? "Invalid settings.", fe);
  }
  const s = parsed.data;
  const refused = s.notifyWebhook ? webhookUrlRefusal(s.notifyWebhook, allowPrivateFromEnv(process.env)) : null;
  if (refused) return fail("INVALID_INPUT", refused, { notifyWebhook: [refused] });
  await db().user.update({
    where: { id: user.id },
    data: { notifyOnRunEnd: s.notifyOnRunEnd, notifyEmail: s.notifyEmail || null, notifyWebhook: s.notifyWebhook || null },
  });
  revalidatePath("/account");
  return ok(s);
}
