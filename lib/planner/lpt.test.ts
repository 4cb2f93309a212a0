import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lptMakespan } from "./lpt";

/** The list schedule written the plain way (sort every core per task), as the reference. */
function reference(tasks: { length: number; cores: number }[], slots: number): number {
  const free = new Array<number>(slots).fill(0);
  let makespan = 0;
  for (const t of [...tasks].sort((a, b) => b.length - a.length)) {
    if (t.cores > slots) return Infinity;
    free.sort((a, b) => a - b);
    const start = free[Math.max(1, t.cores) - 1]!;
    for (let k = 0; k < Math.max(1, t.cores); k++) free[k] = start + t.length;
    makespan = Math.max(makespan, start + t.length);
  }
  return makespan;
}

describe("lptMakespan", () => {
  it("equals the plain list schedule, wide tasks included", () => {
    const task = fc.record({
      length: fc.integer({ min: 0, max: 1000 }),
      cores: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(fc.array(task, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (tasks, slots) => {
        expect(lptMakespan(tasks, slots)).toBe(reference(tasks, slots));
      }),
    );
  });
  it("schedules 100,000 two-core tasks on 200,000 cores in well under a second (it used to sort every core per task)", () => {
    const tasks = Array.from({ length: 100_000 }, (_, i) => ({ length: 10 + (i % 7), cores: 2 }));
    const t0 = performance.now();
    expect(lptMakespan(tasks, 200_000)).toBe(16);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
