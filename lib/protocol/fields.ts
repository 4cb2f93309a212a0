import { z } from "zod";

/**
 * Field rules shared by every file of the agent protocol. The agent reads tab-separated
 * records with bash's `read` (IFS = tab), so what matters is what that reader could misread:
 * a tab or newline splits a field, a carriage return or other control byte sticks to one,
 * an empty field vanishes (tab is IFS whitespace, so two tabs in a row are one separator),
 * and bash integers stop at 2^63.
 */

/** Protocol version written at the head of every line and in agent.conf. */
export const PROTOCOL_VERSION = 1;
export const LINE_TAG = `v${PROTOCOL_VERSION}`;

/** Task ids, pilot ids, task types: they become file names (`tasks/<id>.<attempt>`, `cancel-<id>`). */
export const ZWord = z
  .string()
  .min(1, "must not be empty")
  .max(128, "at most 128 characters")
  .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");

// C0 controls (tab, newline, CR, NUL, ESC …) and DEL: each would split or corrupt a field
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Free text that must survive one tab-separated field intact (paths, command lines). */
export function zFieldText(what: string, max: number) {
  return z
    .string()
    .min(1, `${what} must not be empty`)
    .max(max, `${what}: at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${what} must not contain tabs, newlines or other control characters`)
    .refine((s) => s !== "-", `${what} must not be "-" (the agent reads it as "none")`);
}

/** A file path for the agent: absolute, or relative to the task's working directory. */
export const ZAgentPath = zFieldText("a path", 4096);

/** Integers bash can hold and JSON can carry exactly. */
export const ZCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const ZPositive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** Non-negative decimal without exponent, at most `digits` decimals: what `sleep` and `read -t` accept. */
export function decimal(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}
