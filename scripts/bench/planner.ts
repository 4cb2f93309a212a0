import { planWorkload } from "../../lib/planner";
import { resource } from "../../lib/planner/test-helpers";
import { loadSkeletonText } from "../../lib/skeleton";
import { BIG_SKELETON } from "./skeleton";
import type { BenchRow } from "./types";
import { timeIt } from "./util";

/** Plan the 100,000-task workload across 10 resources with both strategies. */
export async function bench(): Promise<BenchRow[]> {
  const r = loadSkeletonText(BIG_SKELETON, { seed: 1 });
  if (!r.ok) throw new Error("bench skeleton does not parse");
  const rs = Array.from({ length: 10 }, (_, i) =>
    resource(`r${i}`, {}, { maxCoresPerJob: 4096, jobsQueued: i }),
  );
  const now = new Date();
  const lengths = r.workload.tasks.map((t) => t.length);
  const baseline = await timeIt(() => [...lengths].sort((a, b) => b - a));
  const rows: BenchRow[] = [];
  for (const strategy of ["aimes", "adaptive"] as const) {
    const ms = await timeIt(() => planWorkload(r.workload, rs, { strategy, now }));
    rows.push({
      figure: `planner (${strategy}): 100,000 tasks × 10 resources`,
      value: ms,
      unit: "ms",
      baseline: { label: "sorting the 100,000 task lengths", value: baseline, unit: "ms" },
      ratio: ms / baseline,
      budget: "< 1 s with expansion",
    });
  }
  const expandAndPlan = await timeIt(() => {
    const w = loadSkeletonText(BIG_SKELETON, { seed: 1 });
    if (w.ok) planWorkload(w.workload, rs, { strategy: "adaptive", now });
  });
  rows.push({
    figure: "expand + plan (adaptive) 100,000 tasks × 10 resources",
    value: expandAndPlan,
    unit: "ms",
    budget: "< 1000 ms",
  });
  return rows;
}
