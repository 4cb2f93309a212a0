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
        if (slow) await sleep(300);
      },
    });
    // waits for a tick count without a fixed sleep (a loaded CI machine delays timers by 100s of ms);
    // each wait stays far below the 10 s interval, so only wake() can have made the tick
    const ticks = async (n: number) => {
      const end = Date.now() + 5_000;
      while (at.length < n && Date.now() < end) await sleep(5);
      expect(at).toHaveLength(n);
    };
    loop.start();
    await ticks(1);
    await sleep(200);
    expect(at).toHaveLength(1); // the interval is 10 s
    const woken = Date.now();
    loop.wake();
    loop.wake(); // two wakes between ticks are one tick
    await ticks(2);
    expect(at[1]! - woken).toBeLessThan(5_000);
    await sleep(200);
    expect(at).toHaveLength(2);
    slow = true;
    loop.wake();
    await ticks(3); // that tick is in flight now (it takes 300 ms)
    loop.wake();
    await ticks(4); // the wake during it is not lost: one more tick after it
    await loop.stop();
    loop.wake(); // stopped: nothing runs
    await sleep(60);
    expect(at).toHaveLength(4);
  });
});
