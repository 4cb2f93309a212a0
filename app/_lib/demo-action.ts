"use server";
import { redirect } from "next/navigation";
import { fail, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { serverSecret } from "@/lib/config/secret";
import { db } from "@/lib/db/client";
import { startDemo } from "@/lib/demo/start-demo";
import { notifyRun } from "@/lib/engine/bus";

/** "Try the SC2014 demo": plan and launch the demo skeleton on the user's resources, then show the live run. */
export async function startDemoAction(): Promise<ActionResult<never>> {
  const user = await requireUser();
  const r = await startDemo(db(), user.id, { secret: serverSecret() });
  if (!r.ok) return fail("DEMO", r.message);
  notifyRun(r.runId);
  redirect(`/runs/${r.runId}`);
}
