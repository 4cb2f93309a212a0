import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { authOptions } from "./auth-options";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: string;
}

/**
 * The signed-in user, re-read from the database: a valid token for an account that no longer
 * exists, or one issued before the account's last sign-out (its session version is older), is no
 * session. Returns null when there is none.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const u = await db().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, sessionVersion: true },
  });
  if (!u || u.sessionVersion !== session.user.sv) return null;
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}

/** For pages and server actions: the user, or a redirect to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  return user;
}

/** For route handlers: the user, or a 401 JSON response to return as-is. */
export async function apiUser(): Promise<SessionUser | Response> {
  const user = await currentUser();
  return (
    user ?? Response.json({ error: { code: "UNAUTHENTICATED", message: "Sign in first." } }, { status: 401 })
  );
}
