/** Delays and deadlines shared by the transports. */

export interface BackoffPolicy {
  /** delay before the first retry, ms */
  baseMs: number;
  /** ceiling for any one delay, ms */
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 200, maxMs: 5_000, factor: 2 };

/** Exponential backoff without jitter: attempt 0 → baseMs, 1 → baseMs·factor, … capped at maxMs. */
export function backoffDelayMs(attempt: number, p: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isFinite(attempt) || attempt < 0) return p.baseMs;
  return Math.min(p.maxMs, p.baseMs * p.factor ** Math.floor(attempt));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `run` with a signal that aborts after `ms`; the returned promise rejects with
 * `onTimeout()`'s error at that moment even if `run` does not react to the signal.
 * Work started by `run` learns of the timeout through the signal and cleans up itself.
 */
export async function withDeadline<T>(
  ms: number,
  onTimeout: () => Error,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ac = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = onTimeout();
      ac.abort(e);
      reject(e);
    }, ms);
  });
  try {
    return await Promise.race([run(ac.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rejects with the signal's reason when it aborts first; `p` itself keeps running. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
