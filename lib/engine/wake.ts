/**
 * The process's engine wake-up: sites call `wakeEngine()` when an agent wrote something (a
 * local sandbox changed), and the loop that drives the runs (home.ts, or a benchmark's own
 * loop) registers itself with `onWake`. Without a registered loop a wake does nothing: the
 * loop's interval still drives every run, this only makes it react sooner.
 */
const g = globalThis as unknown as { __emanagerWake?: Set<() => void> };

function listeners(): Set<() => void> {
  g.__emanagerWake ??= new Set();
  return g.__emanagerWake;
}

/** Registers a loop's wake; returns the function that unregisters it. */
export function onWake(fn: () => void): () => void {
  listeners().add(fn);
  return () => listeners().delete(fn);
}

export function wakeEngine(): void {
  for (const fn of listeners()) fn();
}
