import type { Rng } from "../skeleton/rng";
import type { QueueWaitModel } from "./types";

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
      return m.seconds[Math.min(m.seconds.length - 1, Math.floor(v * m.seconds.length))]!;
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
