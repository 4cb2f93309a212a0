import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { skeletonInfo } from "./index";
import type { SkeletonJobResult, TWorkJob } from "./jobs";
import { isWorkError, WorkError, WorkPool, type PoolOptions } from "./pool";
import { bigText } from "./test-helpers";

/** Real worker threads running lib/work/worker.ts through tsx, as the server does. */
const base: PoolOptions = {
  entry: path.join(process.cwd(), "lib/work/worker.ts"),
  tsx: true,
  size: 1,
  maxPerUser: 2,
  maxQueued: 8,
  deadlineMs: 120_000,
};

const job = (tasks: number, key: string | null = null): TWorkJob => ({
  kind: "skeleton",
  key,
  text: bigText(tasks),
  fileName: "s.input",
  seed: 0,
  taskLimit: null,
});

let pools: WorkPool[] = [];
function pool(o: Partial<PoolOptions> = {}): WorkPool {
  const p = new WorkPool({ ...base, ...o });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});

describe("work pool", () => {
  it("expands 1,000,000 tasks off the request thread: the main loop keeps ticking", async () => {
    const p = pool();
    await p.warm();
    const h = monitorEventLoopDelay({ resolution: 10 });
    let ticks = 0;
    const tick = setInterval(() => (ticks += 1), 20);
    h.enable();
    const t0 = Date.now();
    const r = (await p.run("u1", job(1_000_000))) as SkeletonJobResult;
    const took = Date.now() - t0;
    h.disable();
    clearInterval(tick);
    expect(r.ok && r.info.metrics.tasks).toBe(1_000_000);
    // the job takes seconds; the main loop's worst stall stays far below the 300 ms target
    expect(took).toBeGreaterThan(1000);
    expect(h.max / 1e6).toBeLessThan(300);
    expect(ticks).toBeGreaterThan((took / 20) * 0.5);
  }, 120_000);

  it("stops a job past its deadline with a clear error, and the pool goes on with a fresh worker", async () => {
    const p = pool({ deadlineMs: 300 });
    await p.warm();
    const late = p.run("u1", job(1_000_000));
    await expect(late).rejects.toBeInstanceOf(WorkError);
    await expect(late).rejects.toMatchObject({
      code: "DEADLINE",
      message: expect.stringMatching(/took longer than 0\.3 s and was stopped/),
    });
    expect(p.stats().stopped).toBe(1);
    const small = (await p.run("u1", job(10), 60_000)) as SkeletonJobResult;
    expect(small.ok && small.info.metrics.tasks).toBe(10);
  }, 60_000);

  it("bounds each user's jobs (one user cannot fill the pool) and serves users in turn", async () => {
    const p = pool({ maxPerUser: 2 });
    await p.warm();
    const done: string[] = [];
    const a1 = p.run("alice", job(50_000)).then(() => done.push("a1"));
    const a2 = p.run("alice", job(50_000)).then(() => done.push("a2"));
    await expect(p.run("alice", job(10))).rejects.toMatchObject({
      code: "BUSY",
      message: expect.stringMatching(/already have 2 large computations/),
    });
    const b1 = p.run("bob", job(10)).then(() => done.push("b1"));
    await Promise.all([a1, a2, b1]);
    // one worker: alice's first job was running; bob's job went before alice's second
    expect(done).toEqual(["a1", "b1", "a2"]);
  }, 60_000);

  it("refuses when the shared queue is full", async () => {
    const p = pool({ maxPerUser: 5, maxQueued: 1 });
    await p.warm();
    const running = p.run("u1", job(50_000));
    await new Promise((r) => setTimeout(r, 50)); // let the worker take it, so the queue is empty
    const queued = p.run("u2", job(10));
    await expect(p.run("u3", job(10))).rejects.toMatchObject({
      code: "BUSY",
      message: expect.stringMatching(/server is busy/),
    });
    await Promise.all([running, queued]);
  }, 60_000);

  it("computes a stored skeleton's preview once per skeleton id + seed", async () => {
    const p = pool();
    await p.warm();
    const sk = { id: `pool-test-${Date.now()}`, name: "s.input", text: bigText(1000) };
    const first = await skeletonInfo("u1", sk, 0, p);
    const again = await skeletonInfo("u1", sk, 0, p);
    expect(again).toEqual(first);
    expect(p.stats().completed).toBe(1);
    await skeletonInfo("u1", sk, 7, p);
    expect(p.stats().completed).toBe(2);
  }, 60_000);

  it("recognises a WorkError thrown by another module copy (Next bundles routes and pages apart)", () => {
    const copy = Object.assign(new Error("the server is busy"), { name: "WorkError", code: "BUSY" });
    expect(copy instanceof WorkError).toBe(false);
    expect([isWorkError(copy), isWorkError(new WorkError("BUSY", "x")), isWorkError(new Error("x"))]).toEqual(
      [true, true, false],
    );
  });

  it("fails the waiting jobs with the reason when its workers cannot start", async () => {
    const p = pool({ entry: path.join(process.cwd(), "lib/work/no-such-worker.ts") });
    await expect(p.run("u1", job(10))).rejects.toMatchObject({
      code: "FAILED",
      message: expect.stringMatching(/cannot start/),
    });
  }, 30_000);
});
