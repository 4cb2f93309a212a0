import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { renderPlanText } from "../planner";
import { eventsJsonl, pilotsCsv, tasksCsv, timeseriesCsv } from "../stats/exports";
import { emptyView, foldEvents, type RunView } from "../stats/fold";
import { computeStats, plainReport, type RunStats } from "../stats/metrics";
import { runTimelineSvg } from "../timeline/export";
import { pushAll } from "../util/extent";
import type { RunRecord } from "../db/run-record";
import type { RunEvent } from "../model/event";
import { ZPredictionRecord } from "../sim/calibrated";
import { versus } from "../sim/versus";
import { zipFiles, type DeflatedFile, type ZipEntry } from "./zip";

/**
 * Everything a run leaves behind, as files: the statistics downloads and the run archive laid out
 * like the original's run directory (`run-<tasks>-<id>/`): skeleton, resources, plan with its
 * decision trail, event log, statistics, report, the timeline diagram (timeline.svg), task logs,
 * and the Stage_* data within a limit.
 */
export const DATA_LIMIT_BYTES = 64 << 20;

export function runSummary(r: RunRecord, st: RunStats) {
  // the prediction made at launch beside what happened, with the model's error (issue 15)
  const p = ZPredictionRecord.safeParse(r.prediction);
  const prediction = p.success
    ? { ...p.data, versus: p.data.median !== null ? versus(p.data, r.events) : null }
    : null;
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    reason: r.stateReason,
    strategy: r.strategy,
    createdAt: r.createdAt.toISOString(),
    report: plainReport(st),
    metrics: st,
    prediction,
    plan: r.plan,
  };
}

export function statisticsFiles(r: RunRecord): Record<string, string> {
  const f = summaryFiles(r);
  return {
    "run.json": f["run.json"],
    "pilots.csv": f["pilots.csv"],
    "tasks.csv": f["tasks.csv"],
    "events.jsonl": eventsJsonl(r.events),
    "timeseries.csv": f["timeseries.csv"],
    "report.txt": f["report.txt"],
  };
}

/** The statistics files but events.jsonl (a big run's log is best written from its rows: ./run-source.ts). */
export interface SummaryFiles {
  "run.json": string;
  "pilots.csv": string;
  "tasks.csv": string;
  "timeseries.csv": string;
  "report.txt": string;
}

/**
 * From the run folded once (`view`; folded here when not given). `checked`: the events whose
 * times computeStats checks (all of them by default; ./run-source.ts gives only the bad ones).
 */
export function summaryFiles(
  r: RunRecord,
  view: RunView = foldEvents(emptyView(), r.events),
  checked: readonly RunEvent[] = r.events,
): SummaryFiles {
  const st = computeStats(checked, view);
  return {
    "run.json": JSON.stringify(runSummary(r, st), null, 2) + "\n",
    "pilots.csv": pilotsCsv(st),
    "tasks.csv": tasksCsv(st),
    "timeseries.csv": timeseriesCsv(view),
    "report.txt": plainReport(st) + "\n",
  };
}

async function walk(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => [])) {
    const p = path.join(rel, e.name);
    if (e.isDirectory()) pushAll(out, await walk(dir, p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** What an archive is made of besides the run's record and directory: made by a fold, or read back from ./download-store.ts. */
export interface ArchiveParts {
  /** tasks in the run: the root folder is `run-<tasks>-<id>/`, like the original's run directory */
  tasks: number;
  summary: Record<keyof SummaryFiles, string | Uint8Array>;
  timelineSvg: string | Uint8Array;
  jsonl: string | Buffer[] | DeflatedFile;
}

/** The parts of the archive from the run folded once (`folded`: ./run-source.ts), or from `r.events`. */
export function archiveParts(
  r: RunRecord,
  folded?: { view: RunView; jsonl: Buffer[] | DeflatedFile | null; checked: RunEvent[] },
): ArchiveParts {
  const view = folded?.view ?? foldEvents(emptyView(), r.events);
  return {
    tasks: view.tasks.size,
    summary: summaryFiles(r, view, folded?.checked ?? r.events),
    // the diagram the original made with gnuplot: the pilot and task timeline
    timelineSvg: runTimelineSvg(r, {}, view),
    jsonl: folded?.jsonl ?? eventsJsonl(r.events),
  };
}

/**
 * The run archive. `folded` (./run-source.ts) gives the log already folded and events.jsonl already
 * written; without it both are done here from `r.events`. Compressed with native zlib (./zip.ts).
 */
export async function buildArchive(
  r: RunRecord,
  folded?: { view: RunView; jsonl: Buffer[] | DeflatedFile | null; checked: RunEvent[] },
): Promise<{ name: string; zip: Uint8Array; skipped: string[] }> {
  return archiveFrom(r, archiveParts(r, folded));
}

/** The archive from its parts, with the run directory's files read now (within DATA_LIMIT_BYTES). */
export async function archiveFrom(
  r: RunRecord,
  parts: ArchiveParts,
): Promise<{ name: string; zip: Uint8Array; skipped: string[] }> {
  const root = `run-${parts.tasks}-${r.id}`;
  const files: ZipEntry[] = [];
  const put = (p: string, data: string | ZipEntry["data"]) =>
    files.push({ name: `${root}/${p}`, data: typeof data === "string" ? Buffer.from(data, "utf8") : data });
  put("skeleton.conf", r.skeletonText);
  put("resources.json", JSON.stringify(r.resources, null, 2) + "\n");
  put("plan.json", JSON.stringify(r.plan, null, 2) + "\n");
  put("plan.txt", renderPlanText(r.plan));
  const f = parts.summary;
  put("run.json", f["run.json"]);
  put("pilots.csv", f["pilots.csv"]);
  put("tasks.csv", f["tasks.csv"]);
  put("events.jsonl", parts.jsonl);
  put("timeseries.csv", f["timeseries.csv"]);
  put("report.txt", f["report.txt"]);
  put("timeline.svg", parts.timelineSvg);
  const skipped: string[] = [];
  let budget = DATA_LIMIT_BYTES;
  if (r.dir) {
    for (const rel of (await walk(r.dir)).sort()) {
      const st = await stat(path.join(r.dir, rel));
      if (st.size > budget) {
        skipped.push(rel);
        continue;
      }
      budget -= st.size;
      put(rel.split(path.sep).join("/"), new Uint8Array(await readFile(path.join(r.dir, rel))));
    }
  }
  if (skipped.length)
    put(
      "SKIPPED.txt",
      `Left out to keep the archive under ${DATA_LIMIT_BYTES >> 20} MiB; they stay in ${r.dir} on the server:\n${skipped.join("\n")}\n`,
    );
  // level 1: the event log is most of the bytes, and repetitive enough that level 6 buys little for its time
  return { name: `${root}.zip`, zip: zipFiles(files, { level: 1 }), skipped };
}
