"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fail, ok, type ActionResult } from "@/app/_lib/action-result";
import { requireUser } from "@/app/_lib/session";
import { runsDir, downloadsDir } from "@/lib/config/paths";
import { db } from "@/lib/db/client";
import { notifyRun } from "@/lib/engine/bus";
import { deleteRun } from "@/lib/runs/delete";

const ZId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+$/i);

/** Asks the engine to cancel the run: its pilots are cancelled on their batch systems, its tasks CANCELED. */
export async function cancelRunAction(runId: string): Promise<ActionResult<{ requested: boolean }>> {
  const user = await requireUser();
  const id = ZId.safeParse(runId);
  if (!id.success) return fail("INVALID_INPUT", "Not a run id.");
  const r = await db().run.updateMany({
    where: { id: id.data, userId: user.id, state: { in: ["NEW", "ACTIVE"] }, cancelRequestedAt: null },
    data: { cancelRequestedAt: new Date() },
  });
  if (r.count === 0) {
    const exists = await db().run.findFirst({
      where: { id: id.data, userId: user.id },
      select: { state: true },
    });
    if (!exists) return fail("NOT_FOUND", "No such run in your account.");
    return fail(
      "NOT_CANCELLABLE",
      `The run is ${exists.state}; only a NEW or ACTIVE run can be cancelled (or a cancel is already under way).`,
    );
  }
  notifyRun(id.data);
  revalidatePath(`/runs/${id.data}`);
  return ok({ requested: true });
}

/** Asks the engine to cancel one pilot: its batch job is cancelled and its unfinished tasks go back to the wait queue. */
export async function cancelPilotAction(pilotId: string): Promise<ActionResult<{ requested: boolean }>> {
  const user = await requireUser();
  const id = ZId.safeParse(pilotId);
  if (!id.success) return fail("INVALID_INPUT", "Not a pilot id.");
  const pilot = await db().pilot.findFirst({
    where: { id: id.data, run: { userId: user.id } },
    select: { id: true, runId: true, state: true },
  });
  if (!pilot) return fail("NOT_FOUND", "No such pilot in your account.");
  if (["DONE", "FAILED", "CANCELED"].includes(pilot.state))
    return fail("NOT_CANCELLABLE", `The pilot is already ${pilot.state}.`);
  await db().pilot.updateMany({
    where: { id: pilot.id, cancelRequestedAt: null },
    data: { cancelRequestedAt: new Date() },
  });
  notifyRun(pilot.runId);
  return ok({ requested: true });
}

/** Deletes a finished run with its directory on the server (and the archive in it); the page asked first. */
export async function deleteRunAction(runId: string): Promise<ActionResult<{ name: string }>> {
  const user = await requireUser();
  const id = ZId.safeParse(runId);
  if (!id.success) return fail("INVALID_INPUT", "Not a run id.");
  const r = await deleteRun(db(), user.id, id.data, { runsRoot: runsDir(), downloadsRoot: downloadsDir() });
  if (!r.ok) return fail(r.code, r.message);
  revalidatePath("/runs");
  revalidatePath("/account");
  return ok({ name: r.name });
}
