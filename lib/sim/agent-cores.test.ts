import { describe, expect, it } from "vitest";
import { seededRng } from "../skeleton/rng";
import { AgentCores } from "./agent-cores";

/** The plain version it replaces: sort every core's free time, take the earliest. */
function naive(free: number[], cores: number, arrival: number, dur: number): number {
  free.sort((a, b) => a - b);
  const c = Math.min(cores, free.length);
  const x0 = Math.max(arrival, free[c - 1] ?? arrival);
  for (let k = 0; k < c; k++) free[k] = x0 + dur;
  return x0;
}

describe("AgentCores", () => {
  it("starts a task when its hand-over is done and its cores are free", () => {
    const a = new AgentCores(2);
    expect(a.start(1, 0, 10)).toBe(0);
    expect(a.start(1, 1, 10)).toBe(1);
    // both cores busy until 10 and 11: a third task handed over at 2 waits for the first
    expect(a.start(1, 2, 10)).toBe(10);
    // a 2-core task waits for both
    expect(a.start(2, 3, 5)).toBe(20);
  });

  it("agrees with sorting every core's time, for mixed widths", () => {
    const rng = seededRng(5, "cores");
    for (const cores of [1, 3, 16, 64]) {
      const a = new AgentCores(cores);
      const free = new Array<number>(cores).fill(0);
      let t = 0;
      for (let k = 0; k < 2000; k++) {
        t += rng() * 2;
        const width = 1 + Math.floor(rng() * Math.min(cores, 8));
        const dur = 1 + rng() * 50;
        expect(a.start(width, t, dur)).toBe(naive(free, width, t, dur));
      }
    }
  });
});
