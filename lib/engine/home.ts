import { createLoop, type Loop, type LoopStatus } from "./loop";
import { engineSettings } from "./settings";
import { onWake } from "./wake";

/**
 * The engine's home in the server process. `startEngine()` is called from Next's
 * instrumentation hook (instrumentation.ts), which runs once per server start; the
 * globalThis guard keeps it to one loop even if the hook is evaluated twice.
 * The tick drives every run this engine holds (startEngine registers engineTick, wiring.ts).
 */
type Tick = () => Promise<void>;

interface Home {
  loop: Loop;
  ticks: Tick[];
}

const g = globalThis as unknown as {
  __emanagerEngine?: Home;
  __emanagerCtx?: import("./context").EngineContext;
};

export function registerTick(tick: Tick): void {
  home().ticks.push(tick);
}

function home(): Home {
  if (!g.__emanagerEngine) {
    const h: Home = {
      ticks: [],
      loop: createLoop({
        intervalMs: engineSettings().tickS * 1000,
        tick: async () => {
          for (const t of h.ticks) await t();
        },
        onError: (e) => console.error("[engine] tick failed:", e instanceof Error ? e.stack : e),
      }),
    };
    g.__emanagerEngine = h;
    onWake(() => h.loop.wake());
  }
  return g.__emanagerEngine;
}

export function startEngine(): void {
  const h = home();
  if (h.loop.status().running) return;
  if (h.ticks.length === 0) {
    // lazy imports keep the database out of processes that only import the loop
    registerTick(async () => {
      const [{ db }, { engineContext, engineTick }] = await Promise.all([
        import("../db/client"),
        import("./wiring"),
      ]);
      g.__emanagerCtx ??= engineContext(db());
      await engineTick(g.__emanagerCtx);
    });
  }
  h.loop.start();
  const stop = (): void => {
    // a run-end notification in flight is finished first: cut off, it would be sent again by
    // the next engine once its claim expires (lib/engine/run-end.ts)
    void h.loop
      .stop()
      .then(() => import("./run-end"))
      .then((m) => m.runEndsSettled(15_000))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

export function engineStatus(): LoopStatus | null {
  return g.__emanagerEngine?.loop.status() ?? null;
}
