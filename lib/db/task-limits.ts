import { z } from "zod";
import { MAX_TASKS } from "../skeleton";
import type { Db } from "./client";

/**
 * Per-account task limits: how many tasks one skeleton may expand to. Every account has the
 * install's default (DEFAULT_TASK_LIMIT); an administrator may set another one per account, up to
 * the absolute MAX_TASKS every skeleton is held to.
 */

/** Tasks one skeleton of an account may expand to unless an administrator set another limit. */
export const DEFAULT_TASK_LIMIT = 200_000;

/** null = back to the default */
export const ZTaskLimit = z.object({
  userId: z.string().min(1).max(64),
  limit: z
    .number()
    .int()
    .min(1, "The limit is at least 1 task.")
    .max(
      MAX_TASKS,
      `The limit is at most ${MAX_TASKS.toLocaleString("en")} tasks (the most any skeleton may have).`,
    )
    .nullable(),
});
export type TTaskLimit = z.infer<typeof ZTaskLimit>;

export interface UserLimitRow {
  id: string;
  email: string;
  role: string;
  /** null: the default applies */
  taskLimit: number | null;
}

export type SetLimitResult =
  | { ok: true; row: UserLimitRow }
  | { ok: false; code: "FORBIDDEN" | "NOT_FOUND" | "INVALID_INPUT"; message: string };

async function isAdmin(db: Db, userId: string): Promise<boolean> {
  const u = await db.user.findUnique({ where: { id: userId }, select: { role: true } });
  return u?.role === "admin";
}

/** Every account and its limit, for an administrator; null for anyone else. */
export async function listTaskLimits(db: Db, actorId: string): Promise<UserLimitRow[] | null> {
  if (!(await isAdmin(db, actorId))) return null;
  return db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, role: true, taskLimit: true },
  });
}

/** Sets an account's limit; only an administrator may. */
export async function setTaskLimit(db: Db, actorId: string, input: unknown): Promise<SetLimitResult> {
  if (!(await isAdmin(db, actorId)))
    return { ok: false, code: "FORBIDDEN", message: "Only an administrator can change task limits." };
  const p = ZTaskLimit.safeParse(input);
  if (!p.success)
    return { ok: false, code: "INVALID_INPUT", message: p.error.issues[0]?.message ?? "Invalid limit." };
  const found = await db.user.findUnique({ where: { id: p.data.userId }, select: { id: true } });
  if (!found) return { ok: false, code: "NOT_FOUND", message: "No such account." };
  const row = await db.user.update({
    where: { id: p.data.userId },
    data: { taskLimit: p.data.limit },
    select: { id: true, email: true, role: true, taskLimit: true },
  });
  return { ok: true, row };
}

/**
 * The command line's way (`emanager user limit EMAIL N|default`): whoever can run it on the server
 * can edit the database anyway, so no administrator account is asked for.
 */
export async function setTaskLimitByEmail(
  db: Db,
  email: string,
  limit: number | null,
): Promise<SetLimitResult> {
  const u = await db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  if (!u) return { ok: false, code: "NOT_FOUND", message: `no account with the e-mail address ${email}` };
  const p = ZTaskLimit.safeParse({ userId: u.id, limit });
  if (!p.success)
    return { ok: false, code: "INVALID_INPUT", message: p.error.issues[0]?.message ?? "Invalid limit." };
  const row = await db.user.update({
    where: { id: u.id },
    data: { taskLimit: p.data.limit },
    select: { id: true, email: true, role: true, taskLimit: true },
  });
  return { ok: true, row };
}
