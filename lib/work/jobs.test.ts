import { describe, expect, it } from "vitest";
import { localSnapshot } from "../db/plan-inputs";
import { countTasks, planJob, skeletonJob, type Loaded } from "./jobs";
import { Lru } from "./lru";
import { bigText } from "./test-helpers";

describe("work jobs", () => {
  it("counts a skeleton's tasks from its stages, before any expansion", () => {
    expect(countTasks(bigText(1_000_000), "s.input")).toMatchObject({ ok: true, tasks: 1_000_000 });
  });

  it("refuses a skeleton over the task limit, naming the limit and how to raise it, without expanding it", () => {
    const t0 = performance.now();
    const r = skeletonJob({
      kind: "skeleton",
      key: null,
      text: bigText(1_000_000),
      fileName: "s.input",
      seed: 0,
      taskLimit: 200_000,
    });
    expect(performance.now() - t0).toBeLessThan(500); // an expansion of a million tasks takes seconds
    expect(r.ok).toBe(false);
    const msg = !r.ok ? r.errors[0]?.message : "";
    expect(msg).toContain("1,000,000 tasks");
    expect(msg).toContain("limit of 200,000 tasks per skeleton");
    expect(msg).toMatch(/administrator can raise the limit on the Account page/);
  });

  it("keeps the expanded workload per skeleton id + seed: planning after the preview does not expand again", () => {
    const store = new Lru<Loaded>(4, 1_000_000, (l) => l.workload.tasks.length);
    const src = { key: "sk1:0", text: bigText(1000), fileName: "s.input", seed: 0 };
    const a = skeletonJob({ kind: "skeleton", ...src, taskLimit: null }, store);
    expect(a.ok).toBe(true);
    expect([store.hits, store.size]).toEqual([0, 1]);
    const now = new Date().toISOString();
    const p = planJob(
      {
        kind: "plan",
        ...src,
        resources: [localSnapshot("r1", "local", new Date(now), 2)],
        policies: [
          { strategy: "adaptive", now },
          { strategy: "aimes", now },
        ],
      },
      store,
    );
    expect(store.hits).toBe(1);
    expect(p.ok && p.plans.map((x) => [x.strategy, x.result.ok])).toEqual([
      ["adaptive", true],
      ["aimes", true],
    ]);
  });

  it("bounds the cache by weight as well as entries", () => {
    const c = new Lru<number>(10, 100, (v) => v);
    c.set("a", 60);
    c.set("b", 30);
    c.set("c", 30); // 120 > 100: the least recently used (a) goes
    expect([c.get("a"), c.get("b"), c.get("c"), c.weight]).toEqual([undefined, 30, 30, 60]);
    c.set("huge", 500); // heavier than the whole budget: not kept
    expect(c.get("huge")).toBeUndefined();
  });
});
