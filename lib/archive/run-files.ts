import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { zipSync, type Zippable } from "fflate";
import { renderPlanText } from "../planner";
import { eventsJsonl, pilotsCsv, tasksCsv, timeseriesCsv } from "../stats/exports";
import { emptyView, foldEvents } from "../stats/fold";
import { computeStats, plainReport, type RunStats } from "../stats/metrics";
import { runTimelineSvg } from "../timeline/export";
import { pushAll } from "../util/extent";
import type { RunRecord } from "../db/run-record";
import { ZPredictionRecord } from "../sim/calibrated";
import { versus } from "../sim/versus";

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
  const view = foldEvents(emptyView(), r.events);
  const st = computeStats(r.events, view);
  return {
    "run.json": JSON.stringify(runSummary(r, st), null, 2) + "\n",
    "pilots.csv": pilotsCsv(st),
    "tasks.csv": tasksCsv(st),
    "events.jsonl": eventsJsonl(r.events),
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

export async function buildArchive(
  r: RunRecord,
): Promise<{ name: string; zip: Uint8Array; skipped: string[] }> {
  const tasks = new Set(r.events.filter((e) => e.entity === "task").map((e) => e.entityId)).size;
  const root = `run-${tasks}-${r.id}`;
  const enc = new TextEncoder();
  const files: Zippable = {};
  const put = (p: string, data: string | Uint8Array) =>
    (files[`${root}/${p}`] = typeof data === "string" ? enc.encode(data) : data);
  put("skeleton.conf", r.skeletonText);
  put("resources.json", JSON.stringify(r.resources, null, 2) + "\n");
  put("plan.json", JSON.stringify(r.plan, null, 2) + "\n");
  put("plan.txt", renderPlanText(r.plan));
  for (const [n, c] of Object.entries(statisticsFiles(r))) put(n, c);
  // the diagram the original made with gnuplot: the pilot and task timeline
  put("timeline.svg", runTimelineSvg(r));
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
  return { name: `${root}.zip`, zip: zipSync(files, { level: 6 }), skipped };
}
