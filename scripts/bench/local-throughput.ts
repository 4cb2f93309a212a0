import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb } from "../../lib/db/client";
import { readEvents } from "../../lib/db/events";
import { createRun } from "../../lib/db/runs";
import type { Workload } from "../../lib/model/workload";
import type { BenchRow } from "./types";

/**
 * N no-op tasks on one local pilot with `nproc` cores, through the whole engine (database, agent,
 * events), against `xargs -P <cores>` running `true` N times in the same process run.
 * Also the median time from the pilot's ACTIVE to its first task executing, over several pilots.
 */
async function runOnce(n: number, cores: number): Promise<{ seconds: number; activeToFirst: number }> {
  const data = mkdtempSync(path.join(os.tmpdir(), "em-bench-"));
  process.env.EMANAGER_DATA_DIR = data;
  const { engineContext, engineTick } = await import("../../lib/engine/wiring");
  const db = openDb(`file:${path.join(data, "em.db")}`);
  const u = await db.user.create({ data: { email: "bench@x", passwordHash: "!" } });
  const res = await db.resource.create({ data: { userId: u.id, label: "local", kind: "local" } });
  const tasks = Array.from({ length: n }, (_, i) => ({
    id: `Stage_1_${i}`,
    stage: "Stage_1",
    stageIndex: 0,
    type: "serial",
    mode: "time" as const,
    cores: 1,
    length: 0,
    readBuffer: 65536,
    writeBuffer: 65536,
    interleave: 0,
    inputs: [],
    outputs: [],
    dependsOn: [],
  }));
  const w: Workload = {
    name: "noop",
    seed: 0,
    stages: [{ name: "Stage_1", index: 0, taskIds: tasks.map((t) => t.id), dependsOn: [] }],
    tasks,
    warnings: [],
  };
  const run = await createRun(db, {
    userId: u.id,
    name: "bench",
    skeletonId: null,
    strategy: "adaptive",
    seed: 0,
    maxRetries: 0,
    workload: w,
    skeletonText: "",
    plan: {
      pilots: [
        {
          resourceId: res.id,
          resource: "local",
          queue: null,
          cores,
          nodes: 1,
          walltimeMinutes: 60,
          project: null,
        },
      ],
    },
    resourceKinds: { [res.id]: "local" },
    resourcesSnapshot: [],
    now: new Date(),
  });
  const ctx = engineContext(db, { log: () => undefined });
  const t0 = performance.now();
  for (;;) {
    await engineTick(ctx, [run.id]);
    const st = (await db.run.findUniqueOrThrow({ where: { id: run.id }, select: { state: true } })).state;
    if (st !== "NEW" && st !== "ACTIVE") break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const ev = await readEvents(db, run.id, 0, 10_000_000);
  const active = ev.find((e) => e.entity === "pilot" && e.to === "PMGR_ACTIVE")?.at ?? 0;
  const first = Math.min(...ev.filter((e) => e.to === "AGENT_EXECUTING").map((e) => e.at));
  await db.$disconnect();
  return { seconds, activeToFirst: (first - active) / 1000 };
}

export async function bench(): Promise<BenchRow[]> {
  const cores = os.cpus().length;
  const n = Number(process.env.BENCH_TASKS ?? 5000);
  const t = performance.now();
  execFileSync("bash", ["-c", `seq ${n} | xargs -P ${cores} -n 1 true`]);
  const xargs = (performance.now() - t) / 1000;
  const main = await runOnce(n, cores);
  const lat: number[] = [main.activeToFirst];
  for (let i = 0; i < 4; i++) lat.push((await runOnce(4, cores)).activeToFirst);
  lat.sort((a, b) => a - b);
  return [
    {
      figure: `local pilot: ${n} no-op tasks on ${cores} cores, end to end`,
      value: n / main.seconds,
      unit: "tasks/s",
      baseline: { label: `xargs -P ${cores} true, same machine and run`, value: n / xargs, unit: "tasks/s" },
      ratio: xargs / main.seconds,
      ratioNote: "EManager throughput as a share of xargs",
    },
    {
      figure: "pilot ACTIVE → first task executing (median of 5 pilots)",
      value: lat[2]!,
      unit: "s",
      baseline: { label: "the original's runs", value: 11, unit: "s" },
      ratio: lat[2]! / 11,
      budget: "< 2 s",
    },
  ];
}
