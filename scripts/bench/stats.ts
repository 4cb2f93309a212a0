import type { RunEvent } from "../../lib/model/event";
import { emptyView, foldEvents, foldRows, type EventTuple } from "../../lib/stats/fold";
import { computeStats } from "../../lib/stats/metrics";
import { pilotsCsv, tasksCsv, timeseriesCsv } from "../../lib/stats/exports";
import { decodeSnapshot, encodeSnapshot } from "../../lib/stats/snapshot";
import { BIG_RUN, runLog } from "./run-log";
import type { BenchRow } from "./types";
import { timeIt } from "./util";

/** A deterministic event log of `n` tasks on 8 pilots, as the engine writes it. */
export function syntheticLog(n: number): RunEvent[] {
  const ev: RunEvent[] = [];
  let seq = 0;
  const T = 1_700_000_000_000;
  const push = (
    entity: RunEvent["entity"],
    entityId: string,
    to: string,
    at: number,
    data: Record<string, unknown> | null = null,
  ) => ev.push({ seq: ++seq, runId: "r", entity, entityId, from: null, to, at, reason: null, data });
  for (let p = 0; p < 8; p++) {
    push("pilot", `p${p}`, "NEW", T, { label: `r${p}`, cores: 64 });
    push("pilot", `p${p}`, "PMGR_ACTIVE_PENDING", T + 1000);
    push("pilot", `p${p}`, "PMGR_ACTIVE", T + 1000 + p * 5000);
  }
  for (let i = 0; i < n; i++) {
    const p = i % 8;
    const slot = Math.floor(i / 8) % 64;
    const start = T + 1000 + p * 5000 + Math.floor(i / 512) * 10_000;
    const id = `Stage_1_${i}`;
    push("task", id, "NEW", T, { stage: "Stage_1", cores: 1, attempt: 0 });
    push("task", id, "TMGR_SCHEDULING_PENDING", T);
    push("task", id, "TMGR_SCHEDULING", start - 200, { pilotId: `p${p}`, attempt: 0 });
    push("task", id, "AGENT_EXECUTING", start, { pilotId: `p${p}`, attempt: 0, slots: [slot] });
    push("task", id, "AGENT_STAGING_OUTPUT", start + 9000, { attempt: 0, exitCode: 0 });
    push("task", id, "DONE", start + 9100, { attempt: 0 });
  }
  return ev;
}

export async function bench(): Promise<BenchRow[]> {
  const log = syntheticLog(100_000);
  const base = await timeIt(() => {
    let s = 0;
    for (const e of log) s += e.at;
    return s;
  });
  const all = await timeIt(() => {
    const v = foldEvents(emptyView(), log);
    computeStats(log, v);
    timeseriesCsv(v);
  }, 1);
  // the realistic 100,000-task log (every hand-over state, 12 pilots: scripts/bench/run-log.ts), as
  // the download job folds it: rows from the database, `data` as text (lib/archive/run-source.ts)
  const big = runLog(BIG_RUN);
  const rows = big.map((e): EventTuple => [
    e.seq,
    e.entity,
    e.entityId,
    e.from,
    e.to,
    e.at,
    e.reason,
    e.data === null ? null : JSON.stringify(e.data),
  ]);
  const bigBase = await timeIt(() => {
    let s = 0;
    for (const r of rows) s += r[5];
    return s;
  });
  const files = await timeIt(() => {
    const v = foldRows(emptyView(), "r", rows, new Map());
    const st = computeStats([], v);
    pilotsCsv(st);
    tasksCsv(st);
    timeseriesCsv(v);
  }, 1);
  // the run page's opening message for that run: encoded by the server, parsed and decoded by the page
  const view = foldRows(emptyView(), "r", rows, new Map());
  let text = "";
  const encode = await timeIt(
    () => (text = JSON.stringify(encodeSnapshot("r", view, rows.length, big.slice(-5_000)))),
  );
  const decode = await timeIt(() => {
    const d = decodeSnapshot(JSON.parse(text));
    if (!d.ok) throw new Error(d.error);
  });
  return [
    {
      figure: `statistics: fold + every metric + 1 s time series, 100,000 tasks (${log.length.toLocaleString("en")} events)`,
      value: all,
      unit: "ms",
      baseline: { label: "one pass summing event times", value: base, unit: "ms" },
      ratio: all / base,
    },
    {
      figure: `statistics files of a ${BIG_RUN.tasks.toLocaleString("en")}-task run on ${BIG_RUN.pilots.length} pilots (${rows.length.toLocaleString("en")} event rows): fold + every metric + CSVs + time series`,
      value: files,
      unit: "ms",
      baseline: { label: "one pass summing event times", value: bigBase, unit: "ms" },
      ratio: files / bigBase,
      budget: "< 5000 ms with reading and the download",
    },
    {
      figure: `run page snapshot of that run (${(text.length / 2 ** 20).toFixed(1)} MiB of JSON): the browser's JSON.parse + decode`,
      value: decode,
      unit: "ms",
      baseline: { label: "the server's encode + JSON.stringify", value: encode, unit: "ms" },
      ratio: decode / encode,
    },
  ];
}
