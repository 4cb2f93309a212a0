"use server";
import { fail, ok, type ActionResult } from "@/app/_lib/action-result";
import { db } from "@/lib/db/client";
import { signUp } from "@/lib/db/users";

export async function signUpAction(input: { email: string; name: string; password: string }): Promise<ActionResult<{ email: string }>> {
  const r = await signUp(db(), input);
  if (!r.ok) return fail(r.error.code, r.error.message, r.error.fieldErrors);
  return ok({ email: r.user.email });
}
