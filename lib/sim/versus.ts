import type { RunEvent } from "../model/event";
import { emptyView, foldEvents } from "../stats/fold";
import type { PredictionRecord } from "./calibrated";
import { termsOf } from "./terms";
import type { Terms } from "./types";

/**
 * Predicted against actual (issue 15): a run's measured TTC and its five terms, split the way the
 * simulator splits a simulated run (lib/sim/terms.ts), beside the prediction made at launch, and
 * the model's error as actual / predicted − 1 (the sign says which way the model was wrong).
 */
export interface Versus {
  predicted: { ttc: number | null; p10: number | null; p90: number | null; terms: Terms };
  actual: { ttc: number; terms: Terms };
  /** actual / predicted − 1, for the TTC and each term; null where the prediction is 0 or missing */
  error: { ttc: number | null } & Record<keyof Terms, number | null>;
}

const TERMS: (keyof Terms)[] = ["queueWait", "startup", "execution", "staging", "overhead"];
const ERR = (actual: number, predicted: number | null) =>
  predicted !== null && predicted > 0 ? actual / predicted - 1 : null;

/** The measured terms of a run from its events: seconds since its first event. */
export function actualTerms(events: readonly RunEvent[]): { ttc: number; terms: Terms } {
  const view = foldEvents(emptyView(), events);
  const t0 = view.t0 ?? 0;
  const ttc = ((view.lastAt ?? t0) - t0) / 1000;
  let firstActive = Infinity;
  for (const p of view.pilots.values())
    if (p.enteredAt.PMGR_ACTIVE !== undefined)
      firstActive = Math.min(firstActive, (p.enteredAt.PMGR_ACTIVE - t0) / 1000);
  const spans: { xs: number; xe: number; bs: number; be: number }[] = [];
  for (const t of view.tasks.values()) {
    for (const sp of t.spans) {
      if (sp.start === null) continue;
      const xs = (sp.start - t0) / 1000;
      const xe = ((sp.end ?? view.lastAt ?? sp.start) - t0) / 1000;
      // busy: from the hand-over of this attempt's inputs to the task's collection
      const handed =
        t.history.filter((h) => h.state === "TMGR_STAGING_INPUT" && h.at <= sp.start!).pop()?.at ?? sp.start;
      const collected =
        t.history.find((h) => (h.state === "DONE" || h.state === "FAILED") && h.at >= (sp.end ?? sp.start!))
          ?.at ??
        sp.end ??
        sp.start;
      spans.push({ xs, xe, bs: (handed - t0) / 1000, be: (collected - t0) / 1000 });
    }
  }
  // termsOf takes the attempts in the order their execution ended, busy stretches by their ends
  const byX = [...spans].sort((a, b) => a.xe - b.xe);
  const byB = [...spans].sort((a, b) => a.be - b.be);
  const terms = termsOf(ttc, firstActive, {
    xs: byX.map((s) => s.xs),
    xe: byX.map((s) => s.xe),
    bs: byB.map((s) => s.bs),
    be: byB.map((s) => s.be),
  });
  return { ttc, terms };
}

export function versus(p: PredictionRecord, events: readonly RunEvent[]): Versus {
  const actual = actualTerms(events);
  const error = { ttc: ERR(actual.ttc, p.median) } as Versus["error"];
  for (const k of TERMS) error[k] = ERR(actual.terms[k], p.terms[k]);
  return { predicted: { ttc: p.median, p10: p.p10, p90: p.p90, terms: p.terms }, actual, error };
}
