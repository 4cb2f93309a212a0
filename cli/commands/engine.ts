import { databaseUrl } from "../../lib/config/paths";
import { redactDatabaseUrl } from "../../lib/db/postgres";
import { startEngine } from "../../lib/engine/home";
import type { CliIO } from "../io";

export const USAGE = `usage: emanager engine
  Runs the engine loop alone, without the web server, on the same database (EMANAGER_DATA_DIR /
  DATABASE_URL). Runs carry a lease, so several engines (or an engine beside a server started with
  EMANAGER_ENGINE=off) share the work, and one that dies is replaced once its lease expires.
  Stops cleanly on SIGTERM or SIGINT after its current tick.
`;

/** `emanager engine`: the background engine as its own process. */
export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.length) {
    io.err(USAGE);
    return 2;
  }
  io.err(`[engine] driving the runs in ${redactDatabaseUrl(databaseUrl())}\n`);
  startEngine();
  // The loop's own timers do not keep a process alive (in the server, the HTTP listener does);
  // this one does. startEngine exits the process on SIGTERM/SIGINT once its tick is done.
  setInterval(() => undefined, 1 << 30);
  await new Promise<never>(() => undefined);
  return 0;
}
