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
}

export function createLoop(opts: {
  tick: () => Promise<void>;
  intervalMs: number;
  onError?: (e: unknown) => void;
  now?: () => number;
}): Loop {
  const now = opts.now ?? Date.now;
  const st: LoopStatus = { running: false, ticks: 0, errors: 0, lastError: null, lastTickAt: null };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;

  const schedule = (): void => {
    if (!st.running) return;
    timer = setTimeout(run, opts.intervalMs);
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
  };
}
