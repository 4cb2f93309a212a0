import { apiUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";

// GET /api/resources - the signed-in user's resources (never another user's, never key material)
export async function GET(): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const resources = await db().resource.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
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
  return Response.json({ resources });
}
