import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Workload, WorkloadTask } from "../model/workload";
import { runsDir } from "../config/paths";
import type { Db } from "./client";
import { eventRow, insertEvents, insertStatement, type Tx } from "./events";

/** The part of a frozen plan the database needs to lay out pilots (lib/planner has the full type). */
export interface PlannedPilot {
  resourceId: string;
  resource: string;
  queue: string | null;
  cores: number;
  nodes: number;
  walltimeMinutes: number;
  project: string | null;
  surplus?: boolean;
}

export interface NewRun {
  userId: string;
  name: string;
  skeletonId: string | null;
  strategy: string;
  seed: number;
  maxRetries: number;
  workload: Workload;
  /** the skeleton text as launched (kept with the run: the archive carries it) */
  skeletonText: string;
  /** the frozen plan as JSON-able data; its `pilots` lay out the Pilot rows */
  plan: { pilots: PlannedPilot[] } & Record<string, unknown>;
  /** resource id → kind (local, slurm, …) for every resource the plan uses */
  resourceKinds: Record<string, string>;
  /** the resources and snapshots used for planning, kept for the archive */
  resourcesSnapshot: unknown;
  now: Date;
}

// Prisma's 5 s default for an interactive transaction is too short for a large run on
// PostgreSQL (10,000 tasks took 4.6 s on the loopback server, 40,000 failed with P2028).
const CREATE_RUN_TX = { maxWait: 10_000, timeout: 600_000 };

/**
 * Stores a run with its frozen plan: one Pilot row per planned pilot, one Task row per task,
 * and the NEW events. Nothing is submitted here; the engine picks NEW runs up on its next tick.
 */
export async function createRun(db: Db, r: NewRun): Promise<{ id: string }> {
  for (const p of r.plan.pilots) {
    if (!(p.resourceId in r.resourceKinds))
      throw new Error(
        `the plan names resource ${p.resource} (${p.resourceId}), which is not among the run's resources`,
      );
  }
  return db.$transaction(async (tx) => {
    const run = await tx.run.create({
      data: {
        userId: r.userId,
        name: r.name,
        skeletonId: r.skeletonId,
        strategy: r.strategy,
        seed: r.seed,
        maxRetries: r.maxRetries,
        plan: JSON.stringify(r.plan),
        resources: JSON.stringify(r.resourcesSnapshot),
        workload: JSON.stringify({
          name: r.workload.name,
          seed: r.workload.seed,
          skeletonText: r.skeletonText,
          stages: r.workload.stages,
          warnings: r.workload.warnings,
        }),
        createdAt: r.now,
      },
      select: { id: true },
    });
    await tx.run.update({ where: { id: run.id }, data: { dir: path.join(runsDir(), run.id) } });
    const events = [
      eventRow({ runId: run.id, entity: "run", entityId: run.id, from: null, to: "NEW", at: r.now }),
    ];
    for (const [index, p] of r.plan.pilots.entries()) {
      const pilot = await tx.pilot.create({
        data: {
          runId: run.id,
          index,
          resourceId: p.resourceId,
          label: p.resource,
          kind: r.resourceKinds[p.resourceId] ?? "local",
          queue: p.queue,
          project: p.project,
          cores: p.cores,
          nodes: p.nodes,
          walltimeMinutes: p.walltimeMinutes,
        },
        select: { id: true },
      });
      events.push(
        eventRow({
          runId: run.id,
          entity: "pilot",
          entityId: pilot.id,
          from: null,
          to: "NEW",
          at: r.now,
          data: {
            label: p.resource,
            resource: p.resourceId,
            queue: p.queue,
            cores: p.cores,
            nodes: p.nodes,
            walltimeMinutes: p.walltimeMinutes,
            surplus: p.surplus ?? false,
          },
        }),
      );
    }
    await insertTasks(tx, run.id, r.workload.tasks, r.now);
    for (const t of r.workload.tasks) {
      events.push(
        eventRow({
          runId: run.id,
          entity: "task",
          entityId: t.id,
          from: null,
          to: "NEW",
          at: r.now,
          data: { stage: t.stage, cores: t.cores, attempt: 0 },
        }),
      );
    }
    await insertEvents(tx, events);
    return run;
  }, CREATE_RUN_TX);
}

const TASK_ROWS = 500;

/**
 * The run's Task rows, 500 to an INSERT. Prisma's createMany builds every row through its query
 * compiler (about 0.35 ms a task here: 36 s of a 100,000-task launch); the ids are made here, as
 * Prisma would for `@default(cuid())` (any unique text will do: nothing orders tasks by id).
 */
async function insertTasks(tx: Tx, runId: string, tasks: readonly WorkloadTask[], now: Date): Promise<void> {
  for (let i = 0; i < tasks.length; i += TASK_ROWS) {
    const [strings, values] = insertStatement(
      `"Task" ("id", "runId", "taskId", "stage", "stageIndex", "cores", "length", "spec", "state", "attempt", "updatedAt")`,
      tasks
        .slice(i, i + TASK_ROWS)
        .map((t) => [
          randomUUID(),
          runId,
          t.id,
          t.stage,
          t.stageIndex,
          t.cores,
          t.length,
          JSON.stringify(t),
          "NEW",
          0,
          now,
        ]),
    );
    await tx.$executeRaw(strings, ...values);
  }
}
