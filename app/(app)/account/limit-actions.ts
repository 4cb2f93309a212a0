"use server";
import { revalidatePath } from "next/cache";
import { fail, ok, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { setTaskLimit, type TTaskLimit, type UserLimitRow } from "@/lib/db/task-limits";

/** An administrator sets an account's task limit per skeleton (null: back to the default). */
export async function setTaskLimitAction(input: TTaskLimit): Promise<ActionResult<UserLimitRow>> {
  const user = await requireUser();
  const r = await setTaskLimit(db(), user.id, input);
  if (!r.ok) return fail(r.code, r.message);
  revalidatePath("/account");
  return ok(r.row);
}
