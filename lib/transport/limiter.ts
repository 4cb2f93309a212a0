/**
 * A counting semaphore with a FIFO queue: at most `max` holders at once. Used to keep SSH exec
 * channels under the server's MaxSessions. A waiter whose AbortSignal fires leaves the queue
 * and is rejected with the signal's reason, so a call's timeout also covers its time queued.
 */
interface Waiter {
  grant: () => void;
  reject: (reason: unknown) => void;
}

export class Limiter {
  private held = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`a limiter needs max >= 1, got ${max}`);
  }

  get running(): number {
    return this.held;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function (calling it more than once has no effect). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.held < this.max) {
      this.held += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(w);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal?.reason);
      };
      const w: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.releaser());
        },
        reject,
      };
      this.queue.push(w);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Rejects every waiter (e.g. when the transport is closed); holders keep their slots. */
  rejectWaiting(reason: unknown): void {
    for (const w of this.queue.splice(0)) w.reject(reason);
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queue.shift();
      // The slot passes straight to the next waiter, so `held` stays the same.
      if (next) next.grant();
      else this.held -= 1;
    };
  }
}
