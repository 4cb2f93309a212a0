import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full garbage collection, after a job that read and folded a big run. Such a job leaves a few
 * hundred MB of dead objects (900,000 rows read, a fold of 100,000 tasks), and V8, with the heap
 * limit a worker has (lib/work/index.ts), grows the heap further before it collects them: the
 * server held 1.2 GB instead of 0.7 after opening a 100,000-task run's page. Collecting right
 * away costs ~0.2 s. `gc` is exposed through V8's flag, as Node's documentation of
 * v8.setFlagsFromString shows; where that is refused, nothing is done.
 */
let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      const f: unknown = runInNewContext("gc");
      gc = typeof f === "function" ? () => void f() : null;
    } catch {
      gc = null;
    }
  }
  gc?.();
}

/** Rows a job must have read to be worth a collection. */
export const BIG_JOB_ROWS = 150_000;
