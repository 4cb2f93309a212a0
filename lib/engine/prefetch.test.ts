import { describe, expect, it } from "vitest";
import { MAX_PREFETCH, measuredPrefetch, noteFinished } from "./prefetch";
import type { PilotRate } from "./runtime";

describe("prefetch from the agent's measured rate", () => {
  it("the first reading starts the clock; later ones give tasks per second", () => {
    const rates = new Map<string, PilotRate>();
    noteFinished(rates, "p", 66, 1000);
    expect(measuredPrefetch(rates, 0.5).get("p")).toBe(0);
    noteFinished(rates, "p", 66, 1500); // 66 in 0.5 s
    expect(rates.get("p")!.perS).toBeCloseTo(132);
    // four ticks of 0.5 s at 132/s
    expect(measuredPrefetch(rates, 0.5).get("p")).toBe(264);
  });

  it("opens by the horizon factor per tick while the agent keeps up, and never past the cap", () => {
    const rates = new Map<string, PilotRate>();
    noteFinished(rates, "p", 0, 0);
    let given = 66;
    const seen: number[] = [];
    for (let t = 1; t <= 12; t++) {
      noteFinished(rates, "p", given, t * 500); // the agent finishes all it was given in each tick
      given = measuredPrefetch(rates, 0.5).get("p")!;
      seen.push(given);
    }
    expect(seen[1]!).toBeGreaterThan(seen[0]!);
    expect(seen[3]!).toBeGreaterThan(4 * 66);
    expect(Math.max(...seen)).toBe(MAX_PREFETCH);
  });

  it("long tasks keep it small (late binding still has tasks for pilots that start later)", () => {
    const rates = new Map<string, PilotRate>();
    noteFinished(rates, "p", 0, 0);
    for (let t = 1; t <= 10; t++) noteFinished(rates, "p", 2, t * 60_000); // 2 cores, 60 s tasks
    expect(measuredPrefetch(rates, 0.5).get("p")).toBe(1);
  });

  it("a read with nothing finished changes nothing", () => {
    const rates = new Map<string, PilotRate>();
    noteFinished(rates, "p", 0, 0);
    noteFinished(rates, "p", 100, 1000);
    const before = { ...rates.get("p")! };
    noteFinished(rates, "p", 0, 5000);
    expect(rates.get("p")).toEqual(before);
  });
});
