import { z } from "zod";

/** An execution strategy: the plan a run is launched with (frozen in the run, editable before launch). */
export const ZPlannedPilot = z.object({
  resourceId: z.string(),
  resource: z.string(),
  queue: z.string().nullable(),
  cores: z.number().int().min(1),
  nodes: z.number().int().min(1),
  /** minutes, unrounded, as the formula gives it */
  walltimeMinutes: z.number().positive(),
  project: z.string().nullable(),
  /** over-provisioned: cancelled by the engine once enough pilots are active */
  surplus: z.boolean().optional(),
});
export type PlannedPilot = z.infer<typeof ZPlannedPilot>;

export const ZTrailEntry = z.object({
  label: z.string(),
  title: z.string(),
  value: z.union([z.string(), z.number()]),
  formula: z.string().optional(),
  inputs: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  note: z.string().optional(),
});
export type TrailEntry = z.infer<typeof ZTrailEntry>;

export const ZExecutionStrategy = z.object({
  strategy: z.enum(["aimes", "adaptive"]),
  binding: z.enum(["late", "early"]),
  scheduler: z.enum(["backfilling", "direct", "round_robin"]),
  pilots: z.array(ZPlannedPilot).min(1),
  predictedTtcSeconds: z.number(),
  assumptions: z.array(z.string()),
  trail: z.array(ZTrailEntry),
  rejected: z.array(z.object({ option: z.string(), why: z.string() })),
  /** `pilot`: the 1-based pilot a warning is about (plans a resource cannot take), shown on that pilot's row */
  warnings: z.array(
    z.object({ code: z.string(), message: z.string(), pilot: z.number().int().min(1).optional() }),
  ),
});
export type ExecutionStrategy = z.infer<typeof ZExecutionStrategy>;

export interface Policy {
  strategy: "aimes" | "adaptive";
  binding?: "late" | "early";
  /** E01: percentage of the workload's concurrency to provision (default 100) */
  concurrencyPercent?: number;
  /** adaptive: extra pilots beyond one per usable resource and the automatic spare, cancelled once enough start */
  overProvision?: number;
  /** adaptive: one spare pilot when a chosen resource is behind a batch queue (default true) */
  autoSpare?: boolean;
  /** adaptive: safety margin on the schedule estimate (default 10 %) */
  marginPercent?: number;
  /** Task_Mode = flops: FLOP per core-second of each resource, by resource id or label (lib/planner/flops.ts) */
  flopsPerCoreSecond?: Readonly<Record<string, number>>;
  /** snapshots older than this are flagged (default 15 min) */
  staleAfterSeconds?: number;
  now: Date;
}

export type PlanResult =
  { ok: true; plan: ExecutionStrategy } | { ok: false; errors: { code: string; message: string }[] };
