/**
 * A periodic loop that runs `tick` one at a time (never overlapping), survives a tick that
 * throws (the error is reported and the next tick runs), and stops cleanly: `stop()`
 * resolves after the tick in flight has finished.
 */
export interface LoopStatus {
  running: boolean;
  ticks: number;
  errors: number;
  lastError: string | null;
  lastTickAt: number | null;
}

export interface Loop {
  start(): void;
  stop(): Promise<void>;
  status(): LoopStatus;
  /**
   * Runs the next tick soon (after `minGapMs` since the last one ended) instead of after the
   * whole interval: something the engine waits for (an agent's event line) has happened. A wake
   * during a tick makes the next one come early; wakes between two ticks are one.
   */
  wake(): void;
}

export function createLoop(opts: {
  tick: () => Promise<void>;
  intervalMs: number;
  /** the shortest pause between two ticks when woken (default: the interval / 5, at most 100 ms) */
  minGapMs?: number;
  onError?: (e: unknown) => void;
  now?: () => number;
}): Loop {
  const now = opts.now ?? Date.now;
  const minGap = opts.minGapMs ?? Math.min(100, opts.intervalMs / 5);
  let woken = false;
  let endedAt = 0;
  const st: LoopStatus = { running: false, ticks: 0, errors: 0, lastError: null, lastTickAt: null };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;

  const schedule = (): void => {
    if (!st.running) return;
    timer = setTimeout(run, woken ? minGap : opts.intervalMs);
    woken = false;
    // The loop must not keep a process alive on its own (CLI exits, test runners).
    timer.unref?.();
  };
  const run = (): void => {
    timer = null;
    inFlight = (async () => {
      try {
        await opts.tick();
      } catch (e: unknown) {
        st.errors += 1;
        st.lastError = e instanceof Error ? e.message : String(e);
        opts.onError?.(e);
      } finally {
        st.ticks += 1;
        st.lastTickAt = now();
        endedAt = Date.now();
        inFlight = null;
      }
    })();
    void inFlight.then(schedule);
  };

  return {
    start() {
      if (st.running) return;
      st.running = true;
      run();
    },
    async stop() {
      st.running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight;
    },
    status: () => ({ ...st }),
    wake() {
      if (!st.running) return;
      if (inFlight || !timer) {
        woken = true; // the tick in flight schedules the next one early
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(run, Math.max(0, endedAt + minGap - Date.now()));
      timer.unref?.();
    },
  };
}
