import { parsePlanPilots } from "./rows";

/**
 * Over-provisioning (the adaptive planner's `overProvision`): a run asks for S more pilots than
 * it needs, because queue waits are unpredictable and late binding uses whichever pilots start
 * first. Once as many pilots have become active as the plan needs (all but S), the ones still
 * waiting in their queues are the surplus: cancelling them frees the allocation they would
 * otherwise burn. Which pilots those are is decided by the queues, not by the plan's order.
 */
export interface SurplusPilot {
  id: string;
  state: string;
  activeAt: Date | null;
}

const WAITING = ["PMGR_LAUNCHING_PENDING", "PMGR_LAUNCHING", "PMGR_ACTIVE_PENDING"];

export function surplusToCancel(
  pilots: readonly SurplusPilot[],
  surplus: number,
): { ids: string[]; reason: string } {
  if (surplus <= 0) return { ids: [], reason: "" };
  const needed = pilots.length - surplus;
  const started = pilots.filter((p) => p.activeAt !== null).length;
  if (needed <= 0 || started < needed) return { ids: [], reason: "" };
  const waiting = pilots.filter((p) => p.activeAt === null && WAITING.includes(p.state)).map((p) => p.id);
  return {
    ids: waiting,
    reason: `surplus: ${started} of ${pilots.length} planned pilots became active, the ${needed} the workload needs`,
  };
}

/** How many of a frozen plan's pilots are marked surplus (the plan is stored as JSON on the run). */
export function surplusCount(planJson: string): number {
  // a plan that does not read has no surplus pilots: the run goes on with every pilot it has
  try {
    return parsePlanPilots(planJson).filter((p) => p.surplus === true).length;
  } catch {
    return 0;
  }
}
