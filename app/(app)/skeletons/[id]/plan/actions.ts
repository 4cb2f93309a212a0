"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { fail, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { notifyRun } from "@/lib/engine/bus";
import { ZExecutionStrategy } from "@/lib/planner";
import { launchRun } from "@/lib/runs/launch";

const ZLaunch = z.object({
  skeletonId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(120),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  maxRetries: z.number().int().min(0).max(5),
  plan: ZExecutionStrategy,
});
export type TLaunch = z.infer<typeof ZLaunch>;

/** Stores the run with its frozen (possibly edited) plan (lib/runs/launch.ts checks it) and goes to its page; the engine takes it from there. */
export async function launchRunAction(input: TLaunch): Promise<ActionResult<never>> {
  const user = await requireUser();
  const p = ZLaunch.safeParse(input);
  if (!p.success)
    return fail("INVALID_INPUT", p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { skeletonId, name, seed, maxRetries, plan } = p.data;
  // launchRun checks each pilot's queue against the resource's probed limits too (the page checks
  // first; this is the word that counts), and every other rule of a launch
  const r = await launchRun(db(), {
    userId: user.id,
    name,
    skeleton: { id: skeletonId },
    seed,
    maxRetries,
    plan,
    now: new Date(),
  });
  if (!r.ok) return fail(r.code, r.message);
  notifyRun(r.runId);
  redirect(`/runs/${r.runId}`);
}
