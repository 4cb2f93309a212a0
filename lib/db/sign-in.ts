import { ZSignInInput } from "../auth/account-input";
import { ACCOUNT_POLICY, ADDRESS_POLICY } from "../auth/throttle";
import type { Db } from "./client";
import {
  clearSignInFailures,
  recordSignInFailure,
  signInLockedUntil,
  type ThrottleKey,
} from "./sign-in-throttle";
import { checkCredentials, type CheckedUser } from "./users";

export type SignInOutcome = { ok: true; user: CheckedUser } | { ok: false; lockedUntil: Date | null };

/**
 * One sign-in attempt with throttling per account and per client address. A locked key refuses
 * at once (no password check: the lock must not be a free oracle); a failure counts against both
 * keys, for an unknown address too, so the answer never depends on whether the account exists.
 */
export async function attemptSignIn(
  db: Db,
  input: unknown,
  address: string | null,
  now: Date = new Date(),
): Promise<SignInOutcome> {
  const parsed = ZSignInInput.safeParse(input);
  const email = parsed.success ? parsed.data.email : "";
  const keys: ThrottleKey[] = [{ key: `acct:${email}`, policy: ACCOUNT_POLICY }];
  if (address) keys.push({ key: `addr:${address}`, policy: ADDRESS_POLICY });
  const locked = await signInLockedUntil(db, keys, now);
  if (locked) return { ok: false, lockedUntil: locked };
  const user = await checkCredentials(db, input);
  if (user) {
    await clearSignInFailures(db, `acct:${email}`);
    return { ok: true, user };
  }
  return { ok: false, lockedUntil: await recordSignInFailure(db, keys, now) };
}
