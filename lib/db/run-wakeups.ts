import net from "node:net";
import pg from "pg";
import { databaseUrl } from "../config/paths";
import { isPostgresUrl } from "./postgres";

/**
 * Wake-ups between server instances that share one PostgreSQL database (LISTEN/NOTIFY): the
 * engine on instance B commits events and notifies, and the live pages on instance A wake at
 * once instead of at their next poll. One dedicated connection per process both listens and
 * sends. Best effort by design: while it is down (it reconnects, backing off to 10 s) wake-ups
 * are dropped, and the pages' polling still brings every event. SQLite has one server, so it
 * needs none of this (`runWakeups()` is null there).
 */
export const RUN_CHANNEL = "emanager_run";

export interface RunWakeups {
  /** Calls `fn` with the run id of every wake-up from another instance (the same `fn` twice counts once). */
  listen(fn: (runId: string) => void): void;
  /** Tells the other instances that `runId` has new events (coalesced: one NOTIFY per run per round trip). */
  notify(runId: string): void;
  /** Resolves once the connection listens (tests and benches wait for it; callers need not). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function pgRunWakeups(url: string): RunWakeups {
  const listeners = new Set<(runId: string) => void>();
  let client: pg.Client | null = null;
  let ownPid = 0;
  let closed = false;
  let retryMs = 250;
  let flushing = false;
  const pending = new Set<string>();
  let listening: Promise<void> = Promise.resolve();
  let markListening: () => void = () => undefined;

  const connect = () => {
    listening = new Promise((r) => (markListening = r));
    const c = new pg.Client({
      connectionString: url,
      // an unref'd socket: a process with nothing else to do (the CLI after its run) still exits
      stream: () => new net.Socket().unref(),
    });
    client = c;
    const lost = () => {
      if (client !== c) return;
      client = null;
      c.removeAllListeners("notification");
      void c.end().catch(() => undefined);
      if (closed) return;
      setTimeout(connect, retryMs).unref();
      retryMs = Math.min(retryMs * 2, 10_000);
    };
    c.on("error", lost);
    c.on("end", lost);
    c.on("notification", (m) => {
      // our own NOTIFY comes back too; notifyRun has woken this process already
      if (m.processId !== ownPid && m.payload) for (const fn of listeners) fn(m.payload);
    });
    c.connect()
      .then(() => c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))
      .then((r) => {
        ownPid = r.rows[0]?.pid ?? 0;
        return c.query(`LISTEN ${RUN_CHANNEL}`);
      })
      .then(() => {
        retryMs = 250;
        markListening();
        flush();
      })
      .catch(lost);
  };

  const flush = () => {
    const c = client;
    if (flushing || !c || ownPid === 0 || pending.size === 0) return;
    const ids = [...pending];
    pending.clear();
    flushing = true;
    // one round trip for every run notified since the last one
    const sql = ids.map((_, i) => `pg_notify('${RUN_CHANNEL}', $${i + 1})`).join(", ");
    c.query(`SELECT ${sql}`, ids)
      .catch(() => undefined)
      .finally(() => {
        flushing = false;
        flush();
      });
  };

  connect();
  return {
    listen: (fn) => void listeners.add(fn),
    notify(runId) {
      pending.add(runId);
      flush();
    },
    ready: () => listening,
    async close() {
      closed = true;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

const g = globalThis as unknown as { __emanagerWakeups?: { url: string; w: RunWakeups | null } };

/** This process's wake-ups for its database (databaseUrl()), started on first use: null on SQLite. */
export function runWakeups(): RunWakeups | null {
  const url = databaseUrl();
  if (!g.__emanagerWakeups || g.__emanagerWakeups.url !== url) {
    void g.__emanagerWakeups?.w?.close();
    g.__emanagerWakeups = { url, w: isPostgresUrl(url) ? pgRunWakeups(url) : null };
  }
  return g.__emanagerWakeups.w;
}
