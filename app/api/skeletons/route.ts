import { z } from "zod";
import { readForm, readJson, type BodyResult } from "@/app/_lib/body";
import { apiUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { MAX_SKELETON_BYTES } from "@/lib/db/skeletons";
import { saveSkeleton } from "@/lib/runs/skeletons";
import { isWorkError, rememberSkeletonInfo, runWork, workPool } from "@/lib/work";

const ZBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the skeleton a name.")
    .max(120, "The name is too long (120 characters at most)."),
  text: z.string().min(1, "The skeleton is empty."),
});

/** The body may carry the largest accepted file escaped as JSON or wrapped in a multipart form. */
const BODY_LIMIT = MAX_SKELETON_BYTES * 2 + 64 * 1024;

// GET /api/skeletons - the signed-in user's skeletons (summaries only)
export async function GET(): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const rows = await db().skeleton.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, format: true, createdAt: true },
  });
  return Response.json({ skeletons: rows });
}

async function readUpload(req: Request): Promise<BodyResult<unknown>> {
  if (!(req.headers.get("content-type") ?? "").startsWith("multipart/form-data"))
    return readJson(req, BODY_LIMIT, "Skeleton uploads");
  const f = await readForm(req, BODY_LIMIT, "Skeleton uploads");
  if (!f.ok) return f;
  const file = f.value.get("file");
  return {
    ok: true,
    value: {
      name: String(f.value.get("name") ?? (file instanceof File ? file.name : "")),
      text: file instanceof File ? await file.text() : String(f.value.get("text") ?? ""),
    },
  };
}

// POST /api/skeletons - upload a skeleton ({name, text} as JSON, or multipart with a `file`):
// 201 with its summary, 422 with every error at its line (also: over the account's task limit),
// 413 when too large, 429 while the user's previous large uploads are still being expanded
export async function POST(req: Request): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const body = await readUpload(req);
  if (!body.ok) return body.response;
  const parsed = ZBody.safeParse(body.value);
  if (!parsed.success)
    return Response.json(
      { error: { code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Invalid input." } },
      { status: 400 },
    );
  try {
    // the expansion runs on a worker thread: a million-task skeleton must not stall other users
    const r = await saveSkeleton(db(), user.id, parsed.data.name, parsed.data.text, {
      run: (job) => runWork(workPool(), user.id, job),
    });
    if (!r.ok)
      return Response.json(
        {
          error: {
            code: "INVALID_SKELETON",
            message:
              r.errors.length === 1 ? r.errors[0]!.message : `${r.errors.length} problem(s) in the skeleton.`,
            errors: r.errors,
          },
        },
        { status: 422 },
      );
    rememberSkeletonInfo(r.id, 0, r.info);
    return Response.json({ id: r.id, summary: r.summary }, { status: 201 });
  } catch (e: unknown) {
    if (!isWorkError(e)) throw e;
    return Response.json(
      { error: { code: e.code, message: e.message } },
      { status: e.code === "BUSY" ? 429 : e.code === "DEADLINE" ? 422 : 503 },
    );
  }
}
