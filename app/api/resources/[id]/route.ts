import { apiUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { deleteResource } from "@/lib/resources/edit";

const NOT_FOUND = { error: { code: "NOT_FOUND", message: "No such resource in your account." } };

// GET /api/resources/:id - one resource of the signed-in user; another user's id is 404, not 403,
// so ids cannot be probed for existence.
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const r = await db().resource.findFirst({
    where: { id, userId: user.id },
    select: {
      id: true,
      label: true,
      kind: true,
      host: true,
      port: true,
      username: true,
      defaultQueue: true,
      coresPerNode: true,
    },
  });
  return r ? Response.json({ resource: r }) : Response.json(NOT_FOUND, { status: 404 });
}

// DELETE /api/resources/:id - deletes the resource (refused with 409 while a run uses it).
export async function DELETE(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const r = await deleteResource(db(), user.id, id.slice(0, 64));
  if (r.ok) return Response.json({ deleted: r.value.id });
  const status = r.code === "NOT_FOUND" ? 404 : 409;
  return Response.json({ error: { code: r.code, message: r.message } }, { status });
}
