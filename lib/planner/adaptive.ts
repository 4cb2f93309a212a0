import type { QueueSnapshot, ResourceSnapshot } from "../model/resource";
import type { Workload, WorkloadTask } from "../model/workload";
import { defaultQueue, workloadBounds } from "./aimes";
import { lptMakespan } from "./lpt";
import type { ExecutionStrategy, Policy, PlannedPilot, TrailEntry } from "./types";
import { maxOf, minOf } from "../util/extent";
import { pilotsSummary } from "./text";

/**
 * EManager's own strategy (docs/planner.md). Differences from the original, each a measured
 * weakness of it: pilots are sized by the peak concurrency of the stages that run together
 * (stages are sequential), not Σ over all stages; queue core and walltime limits are respected;
 * resources are ranked by free cores, queue length and measured queue waits; walltime comes
 * from a list-scheduling estimate of the real task lengths on one pilot (so a single surviving
 * pilot can still finish), plus staging, a small agent overhead and a stated margin.
 */
const AGENT_BOOT_S = 60;
const PER_TASK_S = 0.1;
const STAGING_S_PER_MB = 5;

function stagesOf(w: Workload): WorkloadTask[][] {
  const by = new Map<number, WorkloadTask[]>();
  for (const t of w.tasks) {
    const list = by.get(t.stageIndex);
    if (list) list.push(t);
    else by.set(t.stageIndex, [t]);
  }
  return [...by.keys()].sort((a, b) => a - b).map((k) => by.get(k)!);
}

interface Candidate {
  r: ResourceSnapshot;
  q: QueueSnapshot;
  score: number;
  waitS: number;
}

export function planAdaptive(
  w: Workload,
  resources: ResourceSnapshot[],
  policy: Policy,
): ExecutionStrategy | { errors: { code: string; message: string }[] } {
  const b = workloadBounds(w);
  const stages = stagesOf(w);
  const conc = policy.concurrencyPercent ?? 100;
  const margin = policy.marginPercent ?? 10;
  const trail: TrailEntry[] = [
    { label: "G01", title: "Goal", value: "Minimize time to completion, without paying for idle cores" },
  ];
  const rejected: { option: string; why: string }[] = [];
  const peakStage = maxOf(stages.map((s) => s.reduce((a, t) => a + t.cores, 0)));
  const peak = Math.max(b.maxCores, Math.ceil((peakStage * conc) / 100));
  trail.push({
    label: "A01",
    title: "peak concurrency",
    value: peak,
    formula: "max over stages (run in sequence) of Σ task cores × concurrency %",
    inputs: {
      "largest stage Σ cores": peakStage,
      "concurrency %": conc,
      "Σ over all stages (aimes)": b.sumCores,
    },
  });

  const staging = ((b.bytesIn + b.bytesOut) / 1024 / 1024) * STAGING_S_PER_MB;
  const overhead = AGENT_BOOT_S + PER_TASK_S * b.tasks;
  const candidates: Candidate[] = [];
  for (const r of resources) {
    const q = defaultQueue(r);
    if (!q) {
      rejected.push({ option: r.label, why: "it has no queue" });
      continue;
    }
    if (!q.enabled) {
      rejected.push({ option: `${r.label}[${q.name}]`, why: "the queue is disabled" });
      continue;
    }
    const maxCores = q.maxCoresPerJob ?? q.coresTotal;
    if (maxCores < b.maxCores) {
      rejected.push({
        option: `${r.label}[${q.name}]`,
        why: `a task needs ${b.maxCores} cores but a job there may have at most ${maxCores}`,
      });
      continue;
    }
    const minWall = b.maxLen + overhead + staging;
    if (q.maxWalltimeSeconds !== null && q.maxWalltimeSeconds < minWall) {
      rejected.push({
        option: `${r.label}[${q.name}]`,
        why: `its walltime limit ${q.maxWalltimeSeconds} s is shorter than the longest task plus overheads (${Math.ceil(minWall)} s)`,
      });
      continue;
    }
    const wait =
      r.waitHistory.find((h) => h.queue === q.name)?.medianSeconds ??
      (r.batch === "local" || r.batch === "fork" ? 0 : 60 * (1 + q.jobsQueued / Math.max(1, q.jobsRunning)));
    const score = Math.min(q.coresFree, peak) / Math.max(1, peak) - wait / 3600;
    candidates.push({ r, q, score, waitS: wait });
  }
  if (candidates.length === 0) {
    return {
      errors: [
        {
          code: "NO_RESOURCE",
          message: `no selected resource can run this workload: ${rejected.map((x) => `${x.option}: ${x.why}`).join("; ")}`,
        },
      ],
    };
  }
  candidates.sort((x, y) => y.score - x.score || x.waitS - y.waitS);
  trail.push({
    label: "A02",
    title: "resource ranking",
    value: candidates
      .map(
        (c) =>
          `${c.r.label}[${c.q.name}] (score ${c.score.toFixed(2)}, expected wait ${Math.round(c.waitS)} s)`,
      )
      .join("; "),
    formula:
      "min(free cores, peak)/peak − expected wait / 1 h; expected wait = measured median, else 60 s × (1 + queued/running)",
  });

  // early binding launches only the first pilot: plan (and explain) only that one
  const early = policy.binding === "early";
  const spare = early ? null : spareFor(candidates, policy.autoSpare ?? true);
  if (spare)
    trail.push({
      label: "A04",
      title: "spare pilot",
      value: `1 on ${spare.c.r.label}[${spare.c.q.name}]`,
      formula:
        "one surplus pilot when a chosen resource is behind a batch queue, on the queue with the shortest measured p90 wait; cancelled once the others are active (lib/engine/surplus.ts)",
      note: spare.why,
    });
  const order = early
    ? candidates.slice(0, 1)
    : [
        ...candidates,
        ...(spare ? [spare.c] : []),
        ...Array.from({ length: policy.overProvision ?? 0 }, (_, i) => candidates[i % candidates.length]!),
      ];
  const n = order.length;
  const perPilot = Math.max(b.maxCores, Math.ceil(peak / candidates.length));
  // A03 is written once the pilots exist, from the pilots themselves: the trail and the table show one set of numbers
  const a03At = trail.length;

  const pilots: PlannedPilot[] = [];
  // pilots mostly share one core count: schedule each size once (100,000 tasks sort in ~50 ms)
  const memo = new Map<number, number>();
  const singlePilot = (cores: number) =>
    memo.get(cores) ??
    memo
      .set(
        cores,
        stages.reduce((a, s) => a + lptMakespan(s, cores), 0),
      )
      .get(cores)!;
  const allPilots = stages.reduce((a, s) => a + lptMakespan(s, perPilot * candidates.length), 0);
  for (let i = 0; i < n; i++) {
    const c = order[i]!;
    const cap = c.q.maxCoresPerJob ?? c.q.coresTotal;
    const cores = Math.min(perPilot, cap);
    const est = singlePilot(cores);
    // margin: a stated share of the schedule estimate, at most 10 minutes (it covers estimate error, not waiting)
    let seconds = est + Math.min((est * margin) / 100, 600) + staging + overhead;
    let note = "sized so this pilot alone can finish the workload";
    if (c.q.maxWalltimeSeconds !== null && seconds > c.q.maxWalltimeSeconds) {
      seconds = c.q.maxWalltimeSeconds;
      note = `capped at the queue's ${c.q.maxWalltimeSeconds} s limit: this pilot alone could not finish everything`;
    }
    trail.push({
      label: `P${i + 1}`,
      title: `${c.r.label}[${c.q.name}] walltime (minutes)`,
      value: Number((seconds / 60).toFixed(4)),
      formula:
        "LPT schedule of every stage on this pilot's cores + min(margin × schedule, 600 s) + staging 5 s/MB + 60 s + 0.1 s/task",
      inputs: {
        "schedule (s)": Number(est.toFixed(1)),
        "staging (s)": Number(staging.toFixed(2)),
        "overhead (s)": Number(overhead.toFixed(1)),
        "margin %": margin,
        cores,
      },
      note,
    });
    pilots.push({
      resourceId: c.r.resourceId,
      resource: c.r.label,
      queue: c.q.name,
      cores,
      nodes: Math.max(1, Math.ceil(cores / Math.max(1, c.r.coresPerNode))),
      walltimeMinutes: seconds / 60,
      project: null,
      ...(i >= candidates.length ? { surplus: true } : {}),
    });
  }
  const planned = pilots;
  trail.splice(a03At, 0, {
    label: "A03",
    title: "pilots and cores",
    value: pilotsSummary(planned),
    formula:
      "one pilot per usable resource (late binding survives the ones that never start); cores = max(widest task, ⌈peak / #resources⌉), capped per queue; early binding keeps the first",
    inputs: {
      resources: candidates.length,
      peak,
      "cores before caps": perPilot,
      spare: spare ? 1 : 0,
      "over-provision": policy.overProvision ?? 0,
    },
  });
  const firstWait = minOf(candidates.map((c) => c.waitS));
  return {
    strategy: "adaptive",
    binding: early ? "early" : "late",
    scheduler: early ? "direct" : pilots.length > 1 ? "backfilling" : "direct",
    pilots: planned,
    predictedTtcSeconds: firstWait + allPilots + staging + overhead,
    assumptions: [
      `queue wait: the shortest expected wait among the chosen queues (${Math.round(firstWait)} s)`,
      "all planned pilots become active; if only one does, its walltime still covers the workload (unless capped, see the trail)",
      `staging at ${STAGING_S_PER_MB} s per MB; agent start-up ${AGENT_BOOT_S} s plus ${PER_TASK_S} s per task`,
    ],
    trail,
    rejected,
    warnings: [],
  };
}

/**
 * The spare pilot (issue 15, docs/validation.md item 3): a batch queue can hold a pilot for
 * hours or for ever, even one whose measured waits were short and steady (the AIMES runs have
 * pilots that never became active on such queues), and with late binding one more pilot turns
 * "the slowest of n queues" into "the fastest n of n + 1". The engine cancels it once the others
 * are active, so it costs core-hours only when it starts first, in place of a later one. It goes
 * where a start is most certain: the shortest measured p90 wait (unmeasured queues last).
 */
function spareFor(candidates: readonly Candidate[], auto: boolean): { c: Candidate; why: string } | null {
  if (!auto) return null;
  const queued = candidates.filter((c) => c.r.batch !== "local" && c.r.batch !== "fork");
  if (queued.length === 0) return null;
  const p90 = (c: Candidate) => c.r.waitHistory.find((h) => h.queue === c.q.name)?.p90Seconds ?? Infinity;
  const best = queued.reduce((a, c) => (p90(c) < p90(a) ? c : a));
  const w = p90(best);
  return {
    c: best,
    why: `${queued.length} of ${candidates.length} chosen resource(s) wait in a batch queue; ${best.r.label}[${best.q.name}] ${Number.isFinite(w) ? `has the shortest measured p90 wait (${Math.round(w)} s)` : "is the best-ranked (no queue has measured waits)"}`,
  };
}
