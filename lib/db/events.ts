import type { RunEvent } from "../model/event";
import type { Db } from "./client";

/** The transaction client Prisma hands to `$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface NewEvent {
  runId: string;
  entity: "run" | "pilot" | "task";
  entityId: string;
  from: string | null;
  to: string;
  at: Date;
  reason?: string | null;
  data?: Record<string, unknown> | null;
}

export function eventRow(e: NewEvent) {
  return {
    runId: e.runId,
    entity: e.entity,
    entityId: e.entityId,
    from: e.from,
    to: e.to,
    at: e.at,
    reason: e.reason ?? null,
    data: e.data ? JSON.stringify(e.data) : null,
  };
}

/** Events of a run after `afterSeq` (the SSE stream resumes from Last-Event-ID this way). */
export async function readEvents(
  db: Db | Tx,
  runId: string,
  afterSeq = 0,
  limit = 50_000,
): Promise<RunEvent[]> {
  const rows = await db.event.findMany({
    where: { runId, id: { gt: afterSeq } },
    orderBy: { id: "asc" },
    take: limit,
  });
  return rows.map((r) => ({
    seq: r.id,
    runId: r.runId,
    entity: r.entity as RunEvent["entity"],
    entityId: r.entityId,
    from: r.from,
    to: r.to,
    at: r.at.getTime(),
    reason: r.reason,
    data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
  }));
}
