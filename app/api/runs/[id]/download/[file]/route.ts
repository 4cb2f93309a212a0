import { z } from "zod";
import { apiUser } from "@/app/_lib/session";
import { databaseUrl, downloadsDir } from "@/lib/config/paths";
import { isWorkError, runWork, workPool } from "@/lib/work";

const TYPES: Record<string, string> = {
  "run.json": "application/json",
  "pilots.csv": "text/csv; charset=utf-8",
  "tasks.csv": "text/csv; charset=utf-8",
  "events.jsonl": "application/x-ndjson",
  "timeseries.csv": "text/csv; charset=utf-8",
  "report.txt": "text/plain; charset=utf-8",
};
const TIMELINE: Record<string, string> = {
  "timeline.svg": "image/svg+xml; charset=utf-8",
  "timeline.png": "image/png",
};

const ZTimelineQuery = z.object({
  theme: z.enum(["light", "dark"]).default("light"),
  width: z.coerce.number().int().min(480).max(4000).default(1200),
  scale: z.coerce.number().min(1).max(4).default(2),
});

// GET /api/runs/:id/download/:file - the run's statistics (run.json, pilots.csv, tasks.csv,
// events.jsonl, timeseries.csv, report.txt), its timeline (timeline.svg, timeline.png; query
// ?theme=light|dark&width=480..4000, PNG also &scale=1..4) or `archive` (a zip laid out like the
// original run directory); owner only, 404 for anyone else
export async function GET(
  req: Request,
  ctx: { params: Promise<{ id: string; file: string }> },
): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const { id, file } = await ctx.params;
  const tl = TIMELINE[file];
  const type = tl ?? (file === "archive" ? "application/zip" : TYPES[file]);
  if (!type)
    return Response.json(
      {
        error: {
          code: "NOT_FOUND",
          message: `No download named ${file}; try one of ${[...Object.keys(TYPES), ...Object.keys(TIMELINE)].join(", ")} or archive.`,
        },
      },
      { status: 404 },
    );
  const q = ZTimelineQuery.safeParse(tl ? Object.fromEntries(new URL(req.url).searchParams) : {});
  if (!q.success)
    return Response.json(
      {
        error: {
          code: "INVALID_INPUT",
          message: q.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        },
      },
      { status: 400 },
    );
  // reading and folding a large run's event log takes seconds: a worker thread does it (lib/work)
  const r = await runWork(workPool(), user.id, {
    kind: "download",
    dbUrl: databaseUrl(),
    userId: user.id,
    runId: id,
    file,
    timeline: q.data,
    storeDir: downloadsDir(),
  }).catch((e: unknown) => {
    if (isWorkError(e)) return e;
    throw e;
  });
  if (isWorkError(r))
    return Response.json(
      { error: { code: r.code, message: r.message } },
      { status: r.code === "BUSY" ? 429 : 503 },
    );
  if (!r.ok) return Response.json({ error: { code: r.code, message: r.message } }, { status: 404 });
  // every download is named after the run (the archive too: its root folder keeps the original's run-N-id layout)
  const base = r.runName.replace(/[^\w.-]+/g, "_");
  const name = file === "archive" ? `${base}.zip` : (r.fileName ?? `${base}-${file}`);
  const body = typeof r.body === "string" ? r.body : Buffer.from(r.body);
  return new Response(body, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${name}"`,
      ...(tl ? { "Cache-Control": "no-store" } : {}),
    },
  });
}
