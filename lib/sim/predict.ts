import type { ResourceSnapshot } from "../model/resource";
import type { Workload } from "../model/workload";
import type { ExecutionStrategy } from "../planner/types";
import { inputFromPlan, type ModelOptions } from "./from-plan";
import { simulateMany, type SimSummary } from "./many";
import { describeWait } from "./waits";

/**
 * A plan's predicted TTC with its uncertainty, and where each pilot's queue wait came from:
 * what the plan page, the CLI and a what-if show. A workload the simulator cannot time (FLOP
 * lengths without a rate) gives the reason instead.
 */
export interface Prediction {
  summary: SimSummary;
  pilots: { resource: string; queue: string | null; cores: number; walltimeMinutes: number; wait: string }[];
}

export function predictPlan(
  w: Workload,
  plan: ExecutionStrategy,
  resources: readonly ResourceSnapshot[],
  o: ModelOptions & { runs: number; seed: number },
): Prediction | { error: string } {
  try {
    const input = inputFromPlan(w, plan, resources, o);
    return {
      summary: simulateMany(input, o.runs, o.seed),
      pilots: input.pilots.map((x) => ({
        resource: x.label,
        queue: x.queue,
        cores: x.cores,
        walltimeMinutes: x.walltimeS / 60,
        wait: describeWait(x.wait),
      })),
    };
  } catch (e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
