import { mkdir, open, stat } from "node:fs/promises";
import path from "node:path";
import type { WorkloadTask } from "../model/workload";
import { initialInputs } from "./staging";

/**
 * The original's setup step (`mkdir -p` + `dd if=/dev/zero bs=<size> count=1`), done in-process:
 * every initial input file is created in the run directory with its exact size, filled with
 * zeros. Files already there with the right size are kept (a restarted engine repeats this).
 */
export async function createInitialInputs(runDir: string, tasks: WorkloadTask[]): Promise<number> {
  const files = initialInputs({ name: "", seed: 0, stages: [], tasks, warnings: [] });
  const zero = Buffer.alloc(1 << 20);
  let made = 0;
  for (const f of files) {
    const full = path.join(runDir, f.path);
    const st = await stat(full).catch(() => null);
    if (st?.size === f.size) continue;
    await mkdir(path.dirname(full), { recursive: true });
    const h = await open(full, "w");
    try {
      for (let left = f.size; left > 0; left -= zero.length)
        await h.write(zero, 0, Math.min(left, zero.length));
    } finally {
      await h.close();
    }
    made += 1;
  }
  return made;
}
