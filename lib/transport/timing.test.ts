import { describe, expect, it } from "vitest";
import { backoffDelayMs, sleep, untilAborted, withDeadline } from "./timing";

describe("backoff", () => {
  it("doubles from the base up to the ceiling", () => {
    const p = { baseMs: 200, maxMs: 5_000, factor: 2 };
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelayMs(a, p))).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
    expect(backoffDelayMs(-1, p)).toBe(200);
    expect(backoffDelayMs(Number.NaN, p)).toBe(200);
  });
});

describe("deadlines", () => {
  it("returns the result when it comes in time", async () => {
    expect(
      await withDeadline(
        1_000,
        () => new Error("late"),
        async () => 42,
      ),
    ).toBe(42);
  });

  it("rejects at the deadline with the given error and aborts the work's signal", async () => {
    let seen: unknown = null;
    const t0 = Date.now();
    const p = withDeadline(
      100,
      () => new Error("late"),
      (signal) => {
        signal.addEventListener("abort", () => (seen = signal.reason));
        return new Promise<never>(() => undefined);
      },
    );
    await expect(p).rejects.toThrow("late");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(seen).toBeInstanceOf(Error);
  });

  it("passes the work's own failure through", async () => {
    await expect(
      withDeadline(
        1_000,
        () => new Error("late"),
        () => Promise.reject(new Error("own")),
      ),
    ).rejects.toThrow("own");
  });

  it("sleep and untilAborted give up when their signal aborts", async () => {
    const ac = new AbortController();
    const s = sleep(10_000, ac.signal);
    const u = untilAborted(new Promise(() => undefined), ac.signal);
    ac.abort(new Error("stop"));
    await expect(s).rejects.toThrow("stop");
    await expect(u).rejects.toThrow("stop");
    await expect(sleep(1, ac.signal)).rejects.toThrow("stop");
    await expect(untilAborted(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1);
  });
});
