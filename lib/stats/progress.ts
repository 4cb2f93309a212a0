import type { RunView } from "./fold";

/**
 * Progress and an estimate of the time to completion for the run page. The rate is the recent
 * throughput (tasks finished in the last `window`: at least 30 s or a quarter of the run so far),
 * because the start of a run (pilots queued, nothing finishing) says little about its end; with
 * nothing finished in that window it falls back to the average since the first task started.
 * No estimate before the first task finishes.
 */
export interface Progress {
  total: number;
  done: number;
  /** failed or cancelled */
  failed: number;
  remaining: number;
  /** tasks per second, or null while nothing has finished */
  rate: number | null;
  /** seconds to go at that rate; 0 once nothing remains; null when unknown */
  etaSeconds: number | null;
}

const FINAL = new Set(["DONE", "FAILED", "CANCELED"]);

export function progress(view: RunView, now: number): Progress {
  let done = 0;
  let failed = 0;
  let firstStart = Infinity;
  const finishedAt: number[] = [];
  for (const t of view.tasks.values()) {
    const s = t.spans[0]?.start;
    if (s !== null && s !== undefined) firstStart = Math.min(firstStart, s);
    if (!FINAL.has(t.state)) continue;
    if (t.state === "DONE") done += 1;
    else failed += 1;
    finishedAt.push(t.history[t.history.length - 1]?.at ?? now);
  }
  const total = view.tasks.size;
  const remaining = total - done - failed;
  if (remaining === 0) return { total, done, failed, remaining, rate: null, etaSeconds: total ? 0 : null };
  if (finishedAt.length === 0) return { total, done, failed, remaining, rate: null, etaSeconds: null };
  const since = Number.isFinite(firstStart) ? firstStart : (view.t0 ?? now);
  const windowMs = Math.max(30_000, (now - since) / 4);
  const recent = finishedAt.filter((a) => a >= now - windowMs).length;
  // a run younger than the window is measured over its own age
  const span = Math.min(windowMs, Math.max(1000, now - since));
  const rate = recent > 0 ? recent / (span / 1000) : finishedAt.length / Math.max(1, (now - since) / 1000);
  return { total, done, failed, remaining, rate, etaSeconds: remaining / rate };
}
