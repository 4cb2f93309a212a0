"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fail, ok, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { deleteSkeleton } from "@/lib/runs/delete";

const ZId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+$/i);

/** Deletes a skeleton; refused, with the runs named, while a run that is not over uses it. */
export async function deleteSkeletonAction(skeletonId: string): Promise<ActionResult<{ name: string }>> {
  const user = await requireUser();
  const id = ZId.safeParse(skeletonId);
  if (!id.success) return fail("INVALID_INPUT", "Not a skeleton id.");
  const r = await deleteSkeleton(db(), user.id, id.data);
  if (!r.ok) return fail(r.code, r.message);
  revalidatePath("/skeletons");
  return ok({ name: r.name });
}
