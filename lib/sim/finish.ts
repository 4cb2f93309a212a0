import { endPilot, finalize, type SimState } from "./state";
import { termsOf } from "./terms";
import type { SimResult } from "./types";

/**
 * The end of a simulated run, `now` being the time of its last event: every pilot released, the
 * run's final event, and the figures (TTC, its terms, core-hours). A run in which tasks remain
 * with nothing left to happen failed: the pilots that could run them never started.
 */
export function finish(s: SimState, now: number): SimResult {
  const input = s.prep.input;
  const n = s.n;
  let tEnd: number;
  if (s.finals >= n) tEnd = s.lastFinal + input.endS;
  else {
    tEnd = Math.max(now, s.lastFinal);
    if (!s.failure) {
      const pending = s.pilots.filter((p) => p.row.state === "PMGR_ACTIVE_PENDING").map((p) => p.spec.label);
      const why = `no pilot is left to run the ${n - s.finals} remaining task(s)${pending.length ? `; ${pending.join(", ")} never became active` : ""}`;
      s.failure = why;
      for (let i = 0; i < n; i++)
        if (s.rows[i]!.state === "TMGR_SCHEDULING_PENDING")
          finalize(s, i, "CANCELED", tEnd, `run stopped: ${why}`);
    }
  }
  let coreHours = 0;
  let firstActive = Infinity;
  let pilotsActive = 0;
  for (let k = 0; k < s.pilots.length; k++) {
    const p = s.pilots[k]!;
    if (p.row.state === "PMGR_ACTIVE")
      endPilot(
        s,
        k,
        Math.min(tEnd, p.activeAt! + p.spec.walltimeS),
        "DONE",
        "the run finished; pilot released",
      );
    else if (p.row.state === "PMGR_ACTIVE_PENDING")
      endPilot(s, k, tEnd, "CANCELED", "the run finished; pilot released");
    if (p.activeAt !== null) {
      pilotsActive++;
      firstActive = Math.min(firstActive, p.activeAt);
      coreHours += (p.spec.cores * Math.max(0, (p.endAt ?? tEnd) - p.activeAt)) / 3600;
    }
  }
  const failedTasks = s.failedTasks;
  s.rec?.run(
    s.failure || failedTasks > 0 ? "FAILED" : "DONE",
    tEnd,
    s.failure ?? (failedTasks > 0 ? `${failedTasks} of ${n} task(s) failed` : `all ${n} task(s) done`),
  );
  // a run in which tasks failed has failed, even when the rest finished
  const failed =
    s.failure ??
    (failedTasks > 0
      ? `${failedTasks} of ${n} task(s) failed: ${s.firstFailure ?? "no reason recorded"}`
      : undefined);
  return {
    ttc: tEnd,
    terms: termsOf(tEnd, firstActive, s.iv),
    coreHours,
    tasksDone: s.doneTasks,
    tasksFailed: failedTasks,
    pilotsActive,
    pilotsUsed: s.used.reduce((a, b) => a + b, 0),
    ...(failed ? { failed } : {}),
    events: s.rec ? s.rec.events() : [],
  };
}
