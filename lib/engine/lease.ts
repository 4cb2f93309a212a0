import type { Db } from "../db/client";

/**
 * Which engine drives which run. A run is driven by the engine holding its lease; the lease
 * is renewed every tick and expires `ttlMs` after the last renewal, so when a server dies
 * (even by SIGKILL) another one, or the same one restarted, adopts its runs once the lease
 * has run out. The claim is a compare-and-set on (leaseOwner, leaseUntil).
 */
export async function claimRuns(
  db: Db,
  owner: string,
  now: Date,
  ttlMs: number,
  only?: string[],
): Promise<string[]> {
  const until = new Date(now.getTime() + ttlMs);
  const candidates = await db.run.findMany({
    where: {
      state: { in: ["NEW", "ACTIVE"] },
      ...(only ? { id: { in: only } } : {}),
      OR: [{ leaseOwner: owner }, { leaseOwner: null }, { leaseUntil: { lt: now } }],
    },
    select: { id: true, leaseOwner: true, leaseUntil: true },
  });
  const mine: string[] = [];
  for (const c of candidates) {
    const r = await db.run.updateMany({
      where: { id: c.id, leaseOwner: c.leaseOwner, leaseUntil: c.leaseUntil },
      data: { leaseOwner: owner, leaseUntil: until },
    });
    if (r.count === 1) mine.push(c.id);
  }
  return mine;
}

export async function releaseRun(db: Db, owner: string, runId: string): Promise<void> {
  await db.run.updateMany({
    where: { id: runId, leaseOwner: owner },
    data: { leaseOwner: null, leaseUntil: null },
  });
}
