import { apiUser } from "@/app/_lib/session";
import { buildArchive, statisticsFiles } from "@/lib/archive/run-files";
import { db } from "@/lib/db/client";
import { loadRunRecord } from "@/lib/db/run-record";

const TYPES: Record<string, string> = {
  "run.json": "application/json",
  "pilots.csv": "text/csv; charset=utf-8",
  "tasks.csv": "text/csv; charset=utf-8",
  "events.jsonl": "application/x-ndjson",
  "timeseries.csv": "text/csv; charset=utf-8",
  "report.txt": "text/plain; charset=utf-8",
};

// GET /api/runs/:id/download/:file - the run's statistics (run.json, pilots.csv, tasks.csv,
// events.jsonl, timeseries.csv, report.txt) or `archive` (a zip laid out like the original run directory); owner only
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; file: string }> }): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const { id, file } = await ctx.params;
  const rec = await loadRunRecord(db(), user.id, id);
  if (!rec) return Response.json({ error: { code: "NOT_FOUND", message: "No such run in your account." } }, { status: 404 });
  if (file === "archive") {
    const a = await buildArchive(rec);
    return new Response(Buffer.from(a.zip), { headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${a.name}"` } });
  }
  const type = TYPES[file];
  if (!type) return Response.json({ error: { code: "NOT_FOUND", message: `No download named ${file}; try one of ${Object.keys(TYPES).join(", ")} or archive.` } }, { status: 404 });
  return new Response(statisticsFiles(rec)[file], { headers: { "Content-Type": type, "Content-Disposition": `attachment; filename="${rec.name.replace(/[^\w.-]+/g, "_")}-${file}"` } });
}
