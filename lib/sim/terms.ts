import type { Terms } from "./types";
import { sortedEnds, unionByEnds, unionMeasure } from "./union";

/**
 * Where a run's time went, as five disjoint parts of [0, ttc]: until the first pilot is active,
 * until the first task executes, time some task executes, time some task is handed over or
 * staged while none executes, and the rest (idle gaps, waiting for later pilots, the end).
 * `xs`/`xe`: execution attempts in the order they ended; `bs`/`be`: busy stretches (hand-over
 * to collection) of every attempt.
 */
export function termsOf(
  ttc: number,
  firstActive: number,
  iv: { xs: number[]; xe: number[]; bs: number[]; be: number[] },
): Terms {
  const { xs, xe, bs, be } = iv;
  let firstExec = Infinity;
  for (let q = 0; q < xs.length; q++) firstExec = Math.min(firstExec, xs[q]!);
  const execution = unionByEnds(xs, xe, xs.length);
  // busy stretches end in the order tasks finished whenever their outputs take equal time: no sort then
  const busy =
    xs.length === 0
      ? 0
      : sortedEnds(be, be.length)
        ? unionByEnds(bs, be, bs.length, firstExec)
        : unionMeasure(bs, be, bs.length, firstExec);
  const queueWait = Number.isFinite(firstActive) ? firstActive : ttc;
  const startup = Number.isFinite(firstExec) && Number.isFinite(firstActive) ? firstExec - firstActive : 0;
  const staging = Math.max(0, busy - execution);
  return {
    queueWait,
    startup,
    execution,
    staging,
    overhead: Math.max(0, ttc - queueWait - startup - execution - staging),
  };
}
