import type { PilotRow, TaskRow } from "../../lib/engine/context";
import { bindLate } from "../../lib/engine/decide";
import type { BenchRow } from "./types";
import { timeIt } from "./util";

/** Late binding of 100,000 ready single-core tasks onto 100 active pilots of 1,000 cores (the pure decision). */
export async function bench(): Promise<BenchRow[]> {
  const tasks: TaskRow[] = Array.from({ length: 100_000 }, (_, i) => ({
    id: `t${i}`,
    taskId: `Stage_1_${i}`,
    stage: "Stage_1",
    stageIndex: 0,
    cores: 1,
    length: 1,
    state: "TMGR_SCHEDULING_PENDING",
    pilotId: null,
    attempt: 0,
    exitCode: null,
  }));
  const pilots = Array.from({ length: 100 }, (_, i) => ({ pilot: { id: `p${i}` } as PilotRow, free: 1000 }));
  const ms = await timeIt(() => bindLate(tasks, pilots));
  const base = await timeIt(() => {
    const out: { taskId: string; pilotId: string }[] = [];
    for (let i = 0; i < tasks.length; i++) out.push({ taskId: tasks[i]!.id, pilotId: `p${i % 100}` });
    return out;
  });
  const rate = 100_000 / (ms / 1000);
  return [
    {
      figure: "binding: 100,000 tasks onto 100 pilots × 1,000 cores",
      value: Math.round(rate),
      unit: "bindings/s",
      baseline: {
        label: "a loop pairing them with no rule",
        value: Math.round(100_000 / (base / 1000)),
        unit: "pairs/s",
      },
      ratio: base / ms,
      ratioNote: "speed relative to the rule-free loop",
      budget: "> 100,000 bindings/s",
    },
  ];
}
