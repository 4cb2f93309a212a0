import { z } from "zod";
import { apiUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { MAX_SKELETON_BYTES, saveSkeleton } from "@/lib/db/skeletons";

const ZBody = z.object({
  name: z.string().trim().min(1, "Give the skeleton a name.").max(120, "The name is too long (120 characters at most)."),
  text: z.string().min(1, "The skeleton is empty."),
});

// GET /api/skeletons - the signed-in user's skeletons (summaries only)
export async function GET(): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const rows = await db().skeleton.findMany({ where: { userId: user.id }, orderBy: { createdAt: "desc" }, select: { id: true, name: true, format: true, createdAt: true } });
  return Response.json({ skeletons: rows });
}

// POST /api/skeletons - upload a skeleton ({name, text} as JSON, or multipart with a `file`):
// 201 with its summary, 422 with every error at its line, 413 when too large
export async function POST(req: Request): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const len = Number(req.headers.get("content-length") ?? 0);
  if (len > MAX_SKELETON_BYTES * 2) return Response.json({ error: { code: "TOO_LARGE", message: `Skeleton files are limited to ${MAX_SKELETON_BYTES / 1024} KiB.` } }, { status: 413 });
  let body: unknown;
  try {
    if ((req.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
      const form = await req.formData();
      const file = form.get("file");
      body = { name: String(form.get("name") ?? (file instanceof File ? file.name : "")), text: file instanceof File ? await file.text() : String(form.get("text") ?? "") };
    } else body = await req.json();
  } catch {
    return Response.json({ error: { code: "BAD_REQUEST", message: "Send JSON {name, text} or a multipart form with a file." } }, { status: 400 });
  }
  const parsed = ZBody.safeParse(body);
  if (!parsed.success) return Response.json({ error: { code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Invalid input." } }, { status: 400 });
  const r = await saveSkeleton(db(), user.id, parsed.data.name, parsed.data.text);
  if (!r.ok) return Response.json({ error: { code: "INVALID_SKELETON", message: `${r.errors.length} problem(s) in the skeleton.`, errors: r.errors } }, { status: 422 });
  return Response.json({ id: r.id, summary: r.summary }, { status: 201 });
}
