import { z } from "zod";
import { apiUser } from "@/app/_lib/session";
import { buildArchive, statisticsFiles } from "@/lib/archive/run-files";
import { db } from "@/lib/db/client";
import { loadRunRecord } from "@/lib/db/run-record";
import { runTimelineSvg } from "@/lib/timeline/export";
import { svgToPng } from "@/lib/timeline/png";

const TYPES: Record<string, string> = {
  "run.json": "application/json",
  "pilots.csv": "text/csv; charset=utf-8",
  "tasks.csv": "text/csv; charset=utf-8",
  "events.jsonl": "application/x-ndjson",
  "timeseries.csv": "text/csv; charset=utf-8",
  "report.txt": "text/plain; charset=utf-8",
};
const TIMELINE: Record<string, string> = { "timeline.svg": "image/svg+xml; charset=utf-8", "timeline.png": "image/png" };

const ZTimelineQuery = z.object({
  theme: z.enum(["light", "dark"]).default("light"),
  width: z.coerce.number().int().min(480).max(4000).default(1200),
  scale: z.coerce.number().min(1).max(4).default(2),
});

// GET /api/runs/:id/download/:file - the run's statistics (run.json, pilots.csv, tasks.csv,
// events.jsonl, timeseries.csv, report.txt), its timeline (timeline.svg, timeline.png; query
// ?theme=light|dark&width=480..4000, PNG also &scale=1..4) or `archive` (a zip laid out like the
// original run directory); owner only, 404 for anyone else
export async function GET(req: Request, ctx: { params: Promise<{ id: string; file: string }> }): Promise<Response> {
  const user = await apiUser();
  if (user instanceof Response) return user;
  const { id, file } = await ctx.params;
  const rec = await loadRunRecord(db(), user.id, id);
  if (!rec) return Response.json({ error: { code: "NOT_FOUND", message: "No such run in your account." } }, { status: 404 });
  const name = `${rec.name.replace(/[^\w.-]+/g, "_")}-${file}`;
  if (file === "archive") {
    const a = await buildArchive(rec);
    return new Response(Buffer.from(a.zip), { headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${a.name}"` } });
  }
  const tl = TIMELINE[file];
  if (tl) {
    const q = ZTimelineQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!q.success) return Response.json({ error: { code: "INVALID_INPUT", message: q.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") } }, { status: 400 });
    const svg = runTimelineSvg(rec, { theme: q.data.theme, width: q.data.width });
    const body = file === "timeline.svg" ? svg : Buffer.from(svgToPng(svg, { scale: q.data.scale }));
    return new Response(body, { headers: { "Content-Type": tl, "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" } });
  }
  const type = TYPES[file];
  if (!type) return Response.json({ error: { code: "NOT_FOUND", message: `No download named ${file}; try one of ${[...Object.keys(TYPES), ...Object.keys(TIMELINE)].join(", ")} or archive.` } }, { status: 404 });
  return new Response(statisticsFiles(rec)[file], { headers: { "Content-Type": type, "Content-Disposition": `attachment; filename="${name}"` } });
}
