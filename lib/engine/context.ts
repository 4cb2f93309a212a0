import type { Db } from "../db/client";
import type { PilotSite } from "./ports";

/** What every engine step gets: the database, the clock, and a way to reach a pilot's resource. */
export interface EngineContext {
  db: Db;
  now: () => Date;
  /** the site (transport + batch system + agent protocol) of a resource, for a user */
  site(resourceId: string | null, kind: string): Promise<PilotSite>;
  /** seconds without a heartbeat after which an active pilot is declared failed */
  heartbeatTimeoutS: number;
  /** seconds between batch status polls of one pilot */
  pollIntervalS: number;
  /** extra tasks a pilot may hold beyond its cores, as a share of its cores (decide.ts prefetchFor) */
  prefetchShare: number;
  /** seconds between two engine ticks: what a pilot's prefetch has to cover */
  tickS: number;
  log(msg: string): void;
}

/** The rows every step reads (lib/engine/rows.ts narrows their states). */
export type { PilotRow, TaskRow } from "./rows";
