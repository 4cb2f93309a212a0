import { describe, expect, it } from "vitest";
import { createLoop } from "./loop";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("engine loop", () => {
  it("keeps ticking after a tick throws, never overlaps, and stops after the tick in flight", async () => {
    let active = 0;
    let maxActive = 0;
    let n = 0;
    const errors: unknown[] = [];
    const loop = createLoop({
      intervalMs: 1,
      onError: (e) => errors.push(e),
      tick: async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        n += 1;
        await sleep(5);
        active -= 1;
        if (n === 2) throw new Error("boom");
      },
    });
    loop.start();
    loop.start(); // a second start is a no-op, not a second loop
    await sleep(80);
    await loop.stop();
    const after = loop.status();
    expect(maxActive).toBe(1);
    expect(after.errors).toBe(1);
    expect(after.lastError).toBe("boom");
    expect(after.ticks).toBeGreaterThan(3);
    expect(active).toBe(0);
    await sleep(20);
    expect(loop.status().ticks).toBe(after.ticks);
  });

  it("wake() runs the next tick after the short gap instead of the interval, also when woken mid-tick", async () => {
    const at: number[] = [];
    let slow = false;
    const loop = createLoop({
      intervalMs: 10_000,
      minGapMs: 20,
      tick: async () => {
        at.push(Date.now());
        if (slow) await sleep(50);
      },
    });
    loop.start();
    await sleep(30);
    expect(at).toHaveLength(1); // the interval is 10 s
    loop.wake();
    loop.wake(); // two wakes between ticks are one tick
    await sleep(100);
    expect(at).toHaveLength(2);
    slow = true;
    loop.wake();
    await sleep(30); // that tick is in flight now
    loop.wake();
    await sleep(150);
    expect(at).toHaveLength(4);
    await loop.stop();
    loop.wake(); // stopped: nothing runs
    await sleep(60);
    expect(at).toHaveLength(4);
  });
});
