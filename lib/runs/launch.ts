import { z } from "zod";
import type { Db } from "../db/client";
import { snapshotsFor } from "../db/plan-inputs";
import { createRun } from "../db/runs";
import { taskLimitOf } from "../db/skeletons";
import { ZResourceSnapshot } from "../bundle/load";
import { planProblems, planWorkload, ZExecutionStrategy, type ExecutionStrategy } from "../planner";
import { planQueueProblems } from "../planner/queue-check";
import { loadSkeletonText, type SkeletonError } from "../skeleton";
import { maxOf } from "../util/extent";
import { countTasks, taskLimitMessage } from "../work/jobs";
import { predictAtLaunch, storePrediction } from "./prediction";

/**
 * Launching a run, the one way the web page, the command line, the demo and the tests do it:
 * load the skeleton, check it against the account's task limit, take the resources' snapshots,
 * make or check the plan (each pilot fits its queue as last probed; some pilot fits the widest
 * task) and store the run. The engine
 * picks NEW runs up on its next tick; waking it is the caller's business.
 */
const ZStrategy = z.enum(["aimes", "adaptive"]);

export const ZLaunchInput = z.object({
  userId: z.string().min(1),
  name: z.string().trim().min(1).max(120),
  /** a stored skeleton of the user, or a text given directly (the command line, tests) */
  skeleton: z.union([
    z.object({ id: z.string().min(1).max(64) }),
    z.object({ text: z.string(), fileName: z.string().min(1) }),
  ]),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  maxRetries: z.number().int().min(0).max(5),
  /** a frozen (possibly edited) plan, or a strategy to plan with on these of the user's resources */
  plan: z.union([
    ZExecutionStrategy,
    z.object({ strategy: ZStrategy, resourceIds: z.array(z.string().min(1)).min(1) }),
  ]),
  /**
   * What the plan was made from, when that is not the resources' stored snapshots (the demo's
   * fixed machines; tests that plan by hand); kept with the run for its archive.
   */
  snapshots: z.array(ZResourceSnapshot).optional(),
  now: z.date(),
});
export type LaunchInput = z.input<typeof ZLaunchInput>;

export type LaunchCode =
  "INVALID_INPUT" | "NOT_FOUND" | "TASK_LIMIT" | "INVALID_SKELETON" | "RESOURCE" | "QUEUE" | "PLAN";
export type LaunchResult =
  | { ok: true; runId: string; plan: ExecutionStrategy }
  /** `skeletonErrors`: every error of a skeleton that does not load, where `message` has the first */
  | { ok: false; code: LaunchCode; message: string; skeletonErrors?: SkeletonError[] };

const no = (code: LaunchCode, message: string): LaunchResult => ({ ok: false, code, message });

export async function launchRun(db: Db, input: LaunchInput): Promise<LaunchResult> {
  const p = ZLaunchInput.safeParse(input);
  if (!p.success)
    return no("INVALID_INPUT", p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const v = p.data;

  let skeletonId: string | null = null;
  let text: string;
  let fileName: string;
  if ("id" in v.skeleton) {
    const sk = await db.skeleton.findFirst({
      where: { id: v.skeleton.id, userId: v.userId },
      select: { id: true, name: true, text: true },
    });
    if (!sk) return no("NOT_FOUND", "No such skeleton in your account.");
    [skeletonId, text, fileName] = [sk.id, sk.text, sk.name];
  } else [text, fileName] = [v.skeleton.text, v.skeleton.fileName];

  // the limit may have been lowered since the upload; counting needs no expansion
  const count = countTasks(text, fileName);
  const limit = await taskLimitOf(db, v.userId);
  if (count.ok && count.tasks > limit) return no("TASK_LIMIT", taskLimitMessage(count.tasks, limit));
  const l = loadSkeletonText(text, { fileName, seed: v.seed });
  if (!l.ok)
    return {
      ok: false,
      code: "INVALID_SKELETON",
      message: l.errors[0]?.message ?? "The skeleton does not parse.",
      skeletonErrors: l.errors,
    };

  const ids =
    "resourceIds" in v.plan
      ? [...new Set(v.plan.resourceIds)]
      : [...new Set(v.plan.pilots.map((x) => x.resourceId))];
  const rows = await db.resource.findMany({
    where: { userId: v.userId, id: { in: ids } },
    select: { id: true, kind: true },
  });
  const foreign = ids.filter((id) => !rows.some((r) => r.id === id));
  if (foreign.length)
    return no("RESOURCE", foreign.map((id) => `${id}: not one of your resources`).join("; "));
  let snapshots = v.snapshots;
  if (!snapshots) {
    const got = await snapshotsFor(db, v.userId, ids, v.now);
    if (got.missing.length) return no("RESOURCE", got.missing.join("; "));
    snapshots = got.snapshots;
  }

  let plan: ExecutionStrategy;
  if ("resourceIds" in v.plan) {
    const made = planWorkload(l.workload, snapshots, { strategy: v.plan.strategy, now: v.now });
    if (!made.ok) return no("PLAN", made.errors.map((e) => e.message).join("; "));
    plan = made.plan;
  } else plan = v.plan;
  // each pilot's queue against the resource's probed limits (`local` has no queues to hold it to)
  const taken = snapshots;
  const bad = planQueueProblems(
    plan,
    (id) => taken.find((s) => s.resourceId === id && s.batch !== "local")?.queues ?? [],
  );
  if (bad.length) return no("QUEUE", bad.join("; "));
  const widest = maxOf(l.workload.tasks.map((t) => t.cores));
  if (!plan.pilots.some((x) => x.cores >= widest))
    return no("PLAN", `a task needs ${widest} cores but no pilot has that many`);
  // what the resources cannot take (more cores than they have, walltime over the limit or not finite), in the planner's words
  const cannot = planProblems(plan, l.workload, snapshots);
  if (cannot.length) return no("PLAN", cannot.map((x) => x.message).join("; "));

  // the prediction kept with the run, from the model calibrated on the user's earlier runs
  const prediction = await predictAtLaunch(db, v.userId, l.workload, plan, snapshots, v.now);
  const run = await createRun(db, {
    userId: v.userId,
    name: v.name,
    skeletonId,
    strategy: plan.strategy,
    seed: v.seed,
    maxRetries: v.maxRetries,
    workload: l.workload,
    skeletonText: text,
    plan,
    resourceKinds: Object.fromEntries(rows.map((r) => [r.id, r.kind])),
    resourcesSnapshot: snapshots,
    now: v.now,
  });
  await storePrediction(db, run.id, prediction);
  return { ok: true, runId: run.id, plan };
}
