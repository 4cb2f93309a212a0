import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import { planAdaptive } from "./adaptive";
import { planAimes } from "./aimes";
import type { PlanResult, Policy } from "./types";

export { ZExecutionStrategy, type ExecutionStrategy, type PlannedPilot, type Policy, type PlanResult, type TrailEntry } from "./types";
export { lptMakespan } from "./lpt";
export { renderPlanText } from "./text";

/** Plans a workload on resources; refuses with reasons when it cannot, and flags stale snapshots. */
export function planWorkload(w: Workload, resources: ResourceSnapshot[], policy: Policy): PlanResult {
  if (w.tasks.length === 0) return { ok: false, errors: [{ code: "EMPTY", message: "the workload has no tasks" }] };
  if (resources.length === 0) return { ok: false, errors: [{ code: "NO_RESOURCE", message: "choose at least one resource" }] };
  const stale = policy.staleAfterSeconds ?? 900;
  const warnings = resources.flatMap((r) => {
    const age = (policy.now.getTime() - Date.parse(r.takenAt)) / 1000;
    return age > stale ? [{ code: "STALE_SNAPSHOT", message: `what EManager knows about ${r.label} is ${Math.round(age / 60)} min old (taken ${r.takenAt}); refresh it for a plan based on the current queues` }] : [];
  });
  if (policy.strategy === "aimes") {
    const plan = planAimes(w, resources, policy);
    return { ok: true, plan: { ...plan, warnings: [...warnings, ...plan.warnings] } };
  }
  const r = planAdaptive(w, resources, policy);
  if ("errors" in r) return { ok: false, errors: r.errors };
  return { ok: true, plan: { ...r, warnings: [...warnings, ...r.warnings] } };
}
