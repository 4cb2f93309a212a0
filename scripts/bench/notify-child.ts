// The other instance of the database bench's delivery-latency row (scripts/bench/database.ts):
// on DATABASE_URL (PostgreSQL), waits until its wake-up connection listens, says "ready", then
// notifies `bench-<i>` every 200 ms through the engine's own bus and prints each send time.
import { runWakeups } from "../../lib/db/run-wakeups";
import { notifyRun } from "../../lib/engine/bus";

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 20);
  const w = runWakeups();
  if (!w) throw new Error("DATABASE_URL is not a PostgreSQL URL");
  // the wake-up connection does not keep a process alive (lib/db/run-wakeups.ts); this does
  const alive = setInterval(() => undefined, 1000);
  await w.ready();
  console.log("ready");
  // the bench starts listening when it reads "ready"; give its LISTEN a moment
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < n; i++) {
    console.log(`sent ${i} ${performance.timeOrigin + performance.now()}`);
    notifyRun(`bench-${i}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await w.close();
  clearInterval(alive);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
