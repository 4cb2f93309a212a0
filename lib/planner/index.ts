import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import { planAdaptive } from "./adaptive";
import { planAimes } from "./aimes";
import { flopsToSeconds } from "./flops";
import { planProblems, withProblems } from "./problems";
import type { PlanResult, Policy } from "./types";

export {
  ZExecutionStrategy,
  type ExecutionStrategy,
  type PlannedPilot,
  type Policy,
  type PlanResult,
  type TrailEntry,
} from "./types";
export { lptMakespan } from "./lpt";
export { renderPlanText } from "./text";
export { planProblems, type PlanProblem } from "./problems";
export { flopsToSeconds } from "./flops";

/**
 * Plans a workload on resources; refuses with reasons when it cannot, and flags stale snapshots.
 * Every pilot a resource cannot take (planProblems) is a warning and a trail entry: the aimes
 * numbers stay the original's, and the launch refuses such a plan with the same words.
 */
export function planWorkload(w: Workload, resources: ResourceSnapshot[], policy: Policy): PlanResult {
  if (w.tasks.length === 0)
    return { ok: false, errors: [{ code: "EMPTY", message: "the workload has no tasks" }] };
  if (resources.length === 0)
    return { ok: false, errors: [{ code: "NO_RESOURCE", message: "choose at least one resource" }] };
  const stale = policy.staleAfterSeconds ?? 900;
  const warnings = resources.flatMap((r) => {
    const age = (policy.now.getTime() - Date.parse(r.takenAt)) / 1000;
    return age > stale
      ? [
          {
            code: "STALE_SNAPSHOT",
            message: `what EManager knows about ${r.label} is ${Math.round(age / 60)} min old (taken ${r.takenAt}); refresh it for a plan based on the current queues`,
          },
        ]
      : [];
  });
  const f = flopsToSeconds(w, resources, policy.flopsPerCoreSecond);
  if (!f.ok) return { ok: false, errors: [{ code: "FLOPS_RATE", message: f.message }] };
  const ws = f.workload;
  const made =
    policy.strategy === "aimes" ? planAimes(ws, resources, policy) : planAdaptive(ws, resources, policy);
  if ("errors" in made) return { ok: false, errors: made.errors };
  const plan = {
    ...made,
    trail: [...made.trail.slice(0, 1), ...f.trail, ...made.trail.slice(1)],
    warnings: [...warnings, ...made.warnings],
  };
  return { ok: true, plan: withProblems(plan, planProblems(plan, ws, resources)) };
}
