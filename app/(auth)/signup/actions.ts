"use server";
import { fail, ok, type ActionResult } from "@/app/_lib/action-result";
import { db } from "@/lib/db/client";
import { signUp } from "@/lib/db/users";

/**
 * Sign-up answers the same for a free and a taken address: `ok` with the address, after the same
 * bcrypt work. For a taken one nothing is created and nobody is signed in; the form then signs in
 * with the password given, which opens only the owner's account (see signup-form.tsx).
 */
export async function signUpAction(input: {
  email: string;
  name: string;
  password: string;
}): Promise<ActionResult<{ email: string }>> {
  const r = await signUp(db(), input);
  if (r.ok) return ok({ email: r.user.email });
  if (r.error.code === "EMAIL_TAKEN") return ok({ email: String(input.email).trim().toLowerCase() });
  return fail(r.error.code, r.error.message, r.error.fieldErrors);
}
