import { afterFailure, isStale, lockedUntil, type ThrottlePolicy } from "../auth/throttle";
import type { Db } from "./client";

/**
 * Sign-in throttle counters in the database (SignInThrottle), so a restart does not reset them
 * and every server instance shares them. The rules are lib/auth/throttle.ts.
 */
export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/** The latest time any of the keys is locked until, or null when none is locked. */
export async function signInLockedUntil(db: Db, keys: ThrottleKey[], now: Date): Promise<Date | null> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  return latest(rows.map((r) => lockedUntil(r, now)));
}

/** Counts one failure against each key; returns the lock this failure caused, if any. */
export async function recordSignInFailure(db: Db, keys: ThrottleKey[], now: Date): Promise<Date | null> {
  const locks = await db.$transaction(async (tx) => {
    const out: (Date | null)[] = [];
    for (const k of keys) {
      const row = await tx.signInThrottle.findUnique({ where: { key: k.key } });
      const next = afterFailure(row, now, k.policy);
      await tx.signInThrottle.upsert({
        where: { key: k.key },
        create: { key: k.key, ...next },
        update: next,
      });
      out.push(next.lockedUntil);
    }
    return out;
  });
  await pruneNow(db, keys, now);
  return latest(locks);
}

/** A successful sign-in clears its account's counter (never the address's: a valid account must not reset an attacker's budget). */
export async function clearSignInFailures(db: Db, key: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key } });
}

let lastPrune = 0;
/** Drops rows whose window is over and that are not locked, at most once a minute per process (keeps the table small). */
async function pruneNow(db: Db, keys: ThrottleKey[], now: Date): Promise<void> {
  if (now.getTime() - lastPrune < 60_000) return;
  lastPrune = now.getTime();
  const longest = Math.max(...keys.map((k) => k.policy.windowMs));
  const candidates = await db.signInThrottle.findMany({
    where: { windowStart: { lt: new Date(now.getTime() - longest) } },
    take: 1000,
  });
  const stale = candidates.filter((r) => isStale(r, now, { maxFailures: 0, windowMs: longest, lockMs: 0 }));
  if (stale.length) await db.signInThrottle.deleteMany({ where: { key: { in: stale.map((r) => r.key) } } });
}

function latest(ds: (Date | null)[]): Date | null {
  return ds.reduce<Date | null>((m, d) => (d && (!m || d > m) ? d : m), null);
}
