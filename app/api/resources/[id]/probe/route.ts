import { apiUser } from "@/app/_lib/session";
import { serverSecret } from "@/lib/config/secret";
import { db } from "@/lib/db/client";
import { probeResource } from "@/lib/resources/admin";

// POST /api/resources/:id/probe - "Test connection" over HTTP: connects with the pinned host key,
// runs the batch system's probe and stores the snapshot. Another user's id is 404.
export async function POST(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const r = await probeResource(db(), user.id, id.slice(0, 64), serverSecret());
  if (!r.ok && r.code === "NOT_FOUND")
    return Response.json({ error: { code: r.code, message: r.message } }, { status: 404 });
  return Response.json(r, { status: r.ok ? 200 : 502 });
}
