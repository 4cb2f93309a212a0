import { EventEmitter } from "node:events";

/**
 * In-process wake-up signal: the engine calls `notifyRun(id)` after it commits events for a
 * run, and open event streams wake at once instead of waiting for their next poll. Streams
 * still poll (another process, e.g. the headless CLI, may write the events).
 */
const g = globalThis as unknown as { __emanagerBus?: EventEmitter };
function bus(): EventEmitter {
  if (!g.__emanagerBus) {
    g.__emanagerBus = new EventEmitter();
    g.__emanagerBus.setMaxListeners(0);
  }
  return g.__emanagerBus;
}

export function notifyRun(runId: string): void {
  bus().emit(runId);
}

/** Resolves when the run is notified or after `ms`, whichever comes first. */
export function waitForRun(runId: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      bus().off(runId, done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    bus().on(runId, done);
    signal?.addEventListener("abort", done);
  });
}
