import { hashPassword, verifyPassword } from "../auth/password";
import { ZSignInInput, ZSignUpInput } from "../auth/account-input";
import type { Db } from "./client";
import { ensureLocalResource } from "./resources";

export type SignUpResult =
  | { ok: true; user: { id: string; email: string; role: string } }
  | {
      ok: false;
      error: {
        code: "INVALID_INPUT" | "EMAIL_TAKEN";
        message: string;
        fieldErrors?: Record<string, string[]>;
      };
    };

/**
 * Creates an account. The first account of an install becomes the administrator; the
 * check and the insert run in one transaction so two simultaneous first sign-ups cannot
 * both become admin. Every new account gets the `local` resource.
 */
export async function signUp(db: Db, input: unknown): Promise<SignUpResult> {
  const parsed = ZSignUpInput.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = parsed.error.flatten().fieldErrors as Record<string, string[]>;
    const first = Object.values(fieldErrors).flat()[0] ?? "Invalid input.";
    return { ok: false, error: { code: "INVALID_INPUT", message: first, fieldErrors } };
  }
  const { email, name, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.$transaction(async (tx) => {
      const count = await tx.user.count();
      return tx.user.create({
        data: { email, name: name || null, passwordHash, role: count === 0 ? "admin" : "user" },
        select: { id: true, email: true, role: true },
      });
    });
    await ensureLocalResource(db, user.id);
    return { ok: true, user };
  } catch (e: unknown) {
    if (isUniqueViolation(e)) {
      return {
        ok: false,
        error: {
          code: "EMAIL_TAKEN",
          message: "An account with this e-mail address already exists. Sign in instead.",
        },
      };
    }
    throw e;
  }
}

export interface CheckedUser {
  id: string;
  email: string;
  name: string | null;
  role: string;
  sessionVersion: number;
}

// A real bcrypt hash (of a random string) to compare against when the address has no account, so
// that an unknown address costs the same time as a wrong password and timing does not tell them apart.
const DUMMY_HASH = "$2b$10$VHdtTHSJRR8Vj79OU6NyoOv0CZGdSykPJvKkf96QkhmReWiG1aX8q";

/** Returns the user when the password matches; null otherwise (never says which part was wrong). */
export async function checkCredentials(db: Db, input: unknown): Promise<CheckedUser | null> {
  const parsed = ZSignInInput.safeParse(input);
  if (!parsed.success) return null;
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, email: true, name: true, role: true, sessionVersion: true, passwordHash: true },
  });
  const match = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !match) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
  };
}

/** Ends every session of the account (sign-out): tokens carry the version they were issued with. */
export async function bumpSessionVersion(db: Db, userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "P2002";
}

export type AdminOutcome = { ok: true } | { ok: false; code: "NOT_FOUND"; message: string };

/**
 * An administrator allows (or stops) an account's resources using the server's ssh-agent
 * (lib/auth/agent-policy.ts). Anyone else gets NOT_FOUND, as for every id not theirs.
 */
export async function setSshAgentAllowed(
  db: Db,
  adminId: string,
  userId: string,
  allowed: boolean,
): Promise<AdminOutcome> {
  const admin = await db.user.findUnique({ where: { id: adminId }, select: { role: true } });
  if (admin?.role !== "admin") return { ok: false, code: "NOT_FOUND", message: "No such account." };
  const r = await db.user.updateMany({ where: { id: userId }, data: { sshAgentAllowed: allowed } });
  return r.count === 1 ? { ok: true } : { ok: false, code: "NOT_FOUND", message: "No such account." };
}

/** The accounts an administrator sees on the Account page (never password hashes). */
export async function listAccountsForAdmin(
  db: Db,
  adminId: string,
): Promise<{ id: string; email: string; role: string; sshAgentAllowed: boolean }[]> {
  const admin = await db.user.findUnique({ where: { id: adminId }, select: { role: true } });
  if (admin?.role !== "admin") return [];
  return db.user.findMany({
    orderBy: { createdAt: "asc" },
    take: 500,
    select: { id: true, email: true, role: true, sshAgentAllowed: true },
  });
}
