// Next calls register() once when a server instance starts. The engine runs in the same
// process as the web server (README "One process"); the edge runtime never starts it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // the socket's address for the per-address sign-in limit (app/_lib/peer-address.ts)
  (await import("./app/_lib/peer-address")).stampPeerAddresses();
  // start the worker threads now (0.4–0.6 s each), not on the first heavy request of a user
  void (await import("./lib/work"))
    .workPool()
    .warm()
    .catch((e: unknown) => console.error("[work] the worker pool did not start:", e));
  if (process.env.EMANAGER_ENGINE === "off") return;
  const { startEngine } = await import("./lib/engine/home");
  startEngine();
  // a finished run's statistics and archive are made once, when it ends, and then read back
  // (lib/archive/download-store.ts), so its first download does not wait for the log to be folded
  const [{ whenRunEnds }, { prepareDownloads }] = await Promise.all([
    import("./lib/engine/run-end"),
    import("./lib/work"),
  ]);
  whenRunEnds(({ id, userId }) => {
    prepareDownloads(id, userId).catch((e: unknown) =>
      console.error(
        `[work] run ${id}: its downloads were not stored ahead: ${e instanceof Error ? e.message : String(e)}`,
      ),
    );
  });
}
