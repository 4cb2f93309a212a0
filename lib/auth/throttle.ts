/**
 * Sign-in throttling, as pure rules over one counter row (SignInThrottle): `maxFailures` failed
 * sign-ins within `windowMs` of the first lock the key for `lockMs`. A key is an account
 * (`acct:<e-mail>`) or a client address (`addr:<ip>`). The lock expires on its own; while locked,
 * attempts are refused without checking the password (and without extending the lock, so a
 * locked-out owner is back at the stated time even while someone keeps trying).
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

const MIN = 60_000;
/** per account: 10 failures in 15 min lock that account's sign-in for 15 min */
export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 10, windowMs: 15 * MIN, lockMs: 15 * MIN };
/** per client address: looser, since many people can share one address (NAT, a lab's proxy) */
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 100, windowMs: 15 * MIN, lockMs: 15 * MIN };

export interface ThrottleState {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

export function lockedUntil(s: ThrottleState | null, now: Date): Date | null {
  return s?.lockedUntil && s.lockedUntil > now ? s.lockedUntil : null;
}

/** The row after one more failure at `now`: a new window when the old one is over. */
export function afterFailure(s: ThrottleState | null, now: Date, p: ThrottlePolicy): ThrottleState {
  const fresh =
    !s ||
    now.getTime() - s.windowStart.getTime() >= p.windowMs ||
    (s.lockedUntil !== null && s.lockedUntil <= now);
  const failures = fresh ? 1 : s.failures + 1;
  const windowStart = fresh ? now : s.windowStart;
  return {
    failures,
    windowStart,
    lockedUntil: failures >= p.maxFailures ? new Date(now.getTime() + p.lockMs) : null,
  };
}

/** Rows that no longer matter at `now` (window over and not locked) can be deleted. */
export function isStale(s: ThrottleState, now: Date, p: ThrottlePolicy): boolean {
  return now.getTime() - s.windowStart.getTime() >= p.windowMs && !lockedUntil(s, now);
}

/** The message a locked-out person sees; the time is the server's UTC clock, said so. */
export function lockoutMessage(until: Date): string {
  const hhmm = until.toISOString().slice(11, 16);
  return `too many failed sign-ins; try again after ${hhmm} UTC`;
}
