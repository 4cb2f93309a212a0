import { describe, expect, it } from "vitest";
import {
  ACCOUNT_POLICY,
  afterFailure,
  isStale,
  lockedUntil,
  lockoutMessage,
  type ThrottleState,
} from "./throttle";

const t0 = new Date("2026-12-06T01:00:00Z");
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

function fail(n: number, start = 0, s: ThrottleState | null = null): ThrottleState | null {
  for (let i = 0; i < n; i++) s = afterFailure(s, at(start + i * 0.1), ACCOUNT_POLICY);
  return s;
}

describe("sign-in throttle rules", () => {
  it("locks after 10 failures within 15 minutes, for 15 minutes, then lets the next attempt through", () => {
    const nine = fail(9);
    expect(lockedUntil(nine, at(1))).toBeNull();
    const ten = afterFailure(nine, at(1), ACCOUNT_POLICY);
    expect(lockedUntil(ten, at(1))).toEqual(at(16));
    expect(lockedUntil(ten, at(15.99))).toEqual(at(16));
    expect(lockedUntil(ten, at(16))).toBeNull();
    // after the lock, counting starts again
    expect(afterFailure(ten, at(16), ACCOUNT_POLICY)).toEqual({
      failures: 1,
      windowStart: at(16),
      lockedUntil: null,
    });
  });

  it("forgets failures older than the window", () => {
    const s = fail(9);
    expect(afterFailure(s, at(15), ACCOUNT_POLICY)).toEqual({
      failures: 1,
      windowStart: at(15),
      lockedUntil: null,
    });
    expect(isStale(s!, at(15), ACCOUNT_POLICY)).toBe(true);
    expect(isStale(s!, at(14), ACCOUNT_POLICY)).toBe(false);
  });

  it("says when to try again, in UTC", () => {
    expect(lockoutMessage(new Date("2026-12-06T01:23:45Z"))).toBe(
      "too many failed sign-ins; try again after 01:23 UTC",
    );
  });
});
