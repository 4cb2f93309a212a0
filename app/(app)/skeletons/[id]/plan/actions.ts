"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { fail, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { snapshotsFor } from "@/lib/db/plan-inputs";
import { createRun } from "@/lib/db/runs";
import { taskLimitOf } from "@/lib/db/skeletons";
import { notifyRun } from "@/lib/engine/bus";
import { ZExecutionStrategy } from "@/lib/planner";
import { loadSkeletonText } from "@/lib/skeleton";
import { countTasks, taskLimitMessage } from "@/lib/work/jobs";
import { maxOf } from "@/lib/util/extent";

const ZLaunch = z.object({
  skeletonId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(120),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
  maxRetries: z.number().int().min(0).max(5),
  plan: ZExecutionStrategy,
});
export type TLaunch = z.infer<typeof ZLaunch>;

/** Stores the run with its frozen (possibly edited) plan and goes to its page; the engine takes it from there. */
export async function launchRunAction(input: TLaunch): Promise<ActionResult<never>> {
  const user = await requireUser();
  const p = ZLaunch.safeParse(input);
  if (!p.success) return fail("INVALID_INPUT", p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { skeletonId, name, seed, maxRetries, plan } = p.data;
  const sk = await db().skeleton.findFirst({ where: { id: skeletonId, userId: user.id } });
  if (!sk) return fail("NOT_FOUND", "No such skeleton in your account.");
  // the limit may have been lowered since the upload; counting needs no expansion
  const count = countTasks(sk.text, sk.name);
  const limit = await taskLimitOf(db(), user.id);
  if (count.ok && count.tasks > limit) return fail("TASK_LIMIT", taskLimitMessage(count.tasks, limit));
  const l = loadSkeletonText(sk.text, { fileName: sk.name, seed });
  if (!l.ok) return fail("INVALID_SKELETON", l.errors[0]?.message ?? "The skeleton does not parse.");
  const ids = [...new Set(plan.pilots.map((x) => x.resourceId))];
  const { snapshots, missing } = await snapshotsFor(db(), user.id, ids, new Date());
  if (missing.length) return fail("RESOURCE", missing.join("; "));
  const rows = await db().resource.findMany({ where: { userId: user.id, id: { in: ids } }, select: { id: true, kind: true } });
  const widest = maxOf(l.workload.tasks.map((t) => t.cores));
  if (!plan.pilots.some((x) => x.cores >= widest)) return fail("PLAN", `a task needs ${widest} cores but no pilot has that many`);
  const run = await createRun(db(), {
    userId: user.id, name, skeletonId: sk.id, strategy: plan.strategy, seed, maxRetries, workload: l.workload, skeletonText: sk.text,
    plan, resourceKinds: Object.fromEntries(rows.map((r) => [r.id, r.kind])), resourcesSnapshot: snapshots, now: new Date(),
  });
  notifyRun(run.id);
  redirect(`/runs/${run.id}`);
}
