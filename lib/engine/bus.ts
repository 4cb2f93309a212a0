import { EventEmitter } from "node:events";
import { runWakeups } from "../db/run-wakeups";

/**
 * Wake-up signal: the engine calls `notifyRun(id)` after it commits events for a run, and open
 * event streams wake at once instead of waiting for their next poll. In-process always; on
 * PostgreSQL also across server instances (lib/db/run-wakeups.ts: NOTIFY on one instance,
 * re-emitted here by every other). Streams still poll: a wake-up may be lost (a connection
 * down, or another process such as the headless CLI on SQLite writing the events).
 */
const g = globalThis as unknown as { __emanagerBus?: EventEmitter };
function bus(): EventEmitter {
  if (!g.__emanagerBus) {
    g.__emanagerBus = new EventEmitter();
    g.__emanagerBus.setMaxListeners(0);
  }
  return g.__emanagerBus;
}

const wake = (runId: string) => void bus().emit(runId);
function others() {
  const w = runWakeups();
  w?.listen(wake);
  return w;
}

export function notifyRun(runId: string): void {
  bus().emit(runId);
  others()?.notify(runId);
}

/** Resolves when the run is notified or after `ms`, whichever comes first. */
export function waitForRun(runId: string, ms: number, signal?: AbortSignal): Promise<void> {
  // listening starts with the first wait, so a page on an instance whose engine has no runs still wakes
  others();
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
