import type { Rng } from "../skeleton/rng";
import type { QueueWaitModel } from "./types";

const sorted = new WeakMap<number[], Float64Array>();
const sortedOf = (xs: number[]) => {
  let s = sorted.get(xs);
  if (!s) sorted.set(xs, (s = Float64Array.from(xs).sort()));
  return s;
};

/**
 * The measured waits' quantile at `v`, interpolated between neighbouring waits: a handful of
 * measurements stand for a continuous distribution, not for the only waits a queue can give
 * (drawing them as they are made the simulated median jump between two measured runs).
 */
function between(s: Float64Array, v: number): number {
  const pos = v * (s.length - 1);
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

/** One queue wait in seconds, or null for a pilot that never starts. */
export function drawWait(m: QueueWaitModel, rng: Rng): number | null {
  switch (m.kind) {
    case "fixed":
      return Math.max(0, m.seconds);
    case "never":
      return null;
    case "samples": {
      // always two draws, so a pilot's draws do not shift the next pilot's stream
      const u = rng();
      const v = rng();
      if (u < m.neverShare || m.seconds.length === 0) return null;
      return between(sortedOf(m.seconds), v);
    }
    case "lognormal": {
      const u = Math.max(rng(), 1e-12);
      const v = rng();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      if (m.medianSeconds <= 0) return 0;
      // p90 = median × e^(1.2816 σ)
      const sigma = Math.max(
        0,
        Math.log(Math.max(m.p90Seconds, m.medianSeconds) / m.medianSeconds) / 1.2815516,
      );
      return m.medianSeconds * Math.exp(sigma * z);
    }
  }
}

/** A short phrase for reports: where the wait model came from. */
export function describeWait(m: QueueWaitModel): string {
  switch (m.kind) {
    case "fixed":
      return `${Math.round(m.seconds)} s (${m.source})`;
    case "never":
      return `never starts (${m.source})`;
    case "samples":
      return `${m.seconds.length} measured wait(s)${m.neverShare > 0 ? `, ${Math.round(m.neverShare * 100)} % never start` : ""} (${m.source})`;
    case "lognormal":
      return `median ${Math.round(m.medianSeconds)} s, p90 ${Math.round(m.p90Seconds)} s (${m.source})`;
  }
}
