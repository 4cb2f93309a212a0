import { describe, expect, it } from "vitest";
import { Limiter } from "./limiter";

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("Limiter", () => {
  it("admits at most max holders, then hands slots over in FIFO order", async () => {
    const l = new Limiter(2);
    const order: number[] = [];
    const r1 = await l.acquire();
    const r2 = await l.acquire();
    const waiting = [3, 4, 5].map((n) => l.acquire().then((rel) => (order.push(n), rel)));
    await tick();
    expect([l.running, l.waiting, order]).toEqual([2, 3, []]);
    r1();
    r1(); // a second release is ignored
    await tick();
    expect([l.running, l.waiting, order]).toEqual([2, 2, [3]]);
    r2();
    (await waiting[0]!)();
    await tick();
    expect(order).toEqual([3, 4, 5]);
    for (const w of waiting.slice(1)) (await w)();
    expect([l.running, l.waiting]).toEqual([0, 0]);
  });

  it("drops a waiter whose signal aborts, with the signal's reason", async () => {
    const l = new Limiter(1);
    const rel = await l.acquire();
    const ac = new AbortController();
    const p = l.acquire(ac.signal);
    const next = l.acquire();
    ac.abort(new Error("timed out"));
    await expect(p).rejects.toThrow("timed out");
    expect(l.waiting).toBe(1);
    rel();
    (await next)();
    expect(l.running).toBe(0);
    await expect(l.acquire(ac.signal)).rejects.toThrow("timed out");
  });

  it("rejects everyone waiting on request, and refuses a limit below 1", async () => {
    const l = new Limiter(1);
    await l.acquire();
    const p = l.acquire();
    l.rejectWaiting(new Error("closed"));
    await expect(p).rejects.toThrow("closed");
    expect(() => new Limiter(0)).toThrow(RangeError);
    expect(() => new Limiter(1.5)).toThrow(RangeError);
  });
});
