import type { RunEvent } from "../model/event";
import type { RunView } from "./fold";
import type { RunStats } from "./metrics";

/** The run's downloads (column meanings in docs/statistics.md). CSV quoting per RFC 4180. */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "";
    // at most 3 decimals, no trailing zeros; a whole number is written as it is (the common case, no rounding)
    return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
  }
  const s = String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV text, one line at a time (a 100,000-task run's tasks.csv has 1.1 million cells). */
export function toCsv(header: string[], rows: unknown[][]): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = header.map(csvCell).join(",");
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let line = csvCell(r[0]);
    for (let j = 1; j < r.length; j++) line += "," + csvCell(r[j]);
    lines[i + 1] = line;
  }
  return lines.join("\r\n") + "\r\n";
}

export function pilotsCsv(st: RunStats): string {
  return toCsv(
    [
      "pilot_id",
      "label",
      "cores",
      "final_state",
      "became_active",
      "queue_wait_s",
      "active_s",
      "core_s_provided",
      "core_s_used",
      "core_s_system",
      "core_s_idle",
      "tasks_run",
      "reason",
    ],
    st.pilots.map((p) => [
      p.id,
      p.label,
      p.cores,
      p.state,
      p.becameActive,
      p.queueWait,
      p.activeTime,
      p.coreSecondsProvided,
      p.coreSecondsUsed,
      p.coreSecondsSystem,
      p.coreSecondsIdle,
      p.tasksRun,
      p.reason,
    ]),
  );
}

export function tasksCsv(st: RunStats): string {
  return toCsv(
    [
      "task_id",
      "stage",
      "final_state",
      "attempts",
      "pilot_id",
      "exit_code",
      "wait_s",
      "execution_s",
      "staging_in_s",
      "core_wait_s",
      "staging_out_s",
    ],
    st.tasks.map((t) => [
      t.id,
      t.stage,
      t.state,
      t.attempts,
      t.pilotId,
      t.exitCode,
      t.wait,
      t.execution,
      t.stagingIn,
      t.coreWait,
      t.stagingOut,
    ]),
  );
}

/** Every event, one JSON object per line: replaying them through the fold gives the same statistics. */
export function eventsJsonl(events: readonly RunEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + (events.length ? "\n" : "");
}

/** One row per second since the first event: tasks executing, wait-queue size, busy cores per pilot. */
export function timeseriesCsv(view: RunView): string {
  const t0 = view.t0 ?? 0;
  const end = view.lastAt ?? t0;
  const n = Math.min(Math.ceil((end - t0) / 1000) + 1, 7 * 24 * 3600);
  const pilots = [...view.pilots.keys()];
  const executing = new Float64Array(n + 1);
  const waiting = new Float64Array(n + 1);
  const busy = pilots.map(() => new Float64Array(n + 1));
  const add = (arr: Float64Array, from: number, to: number, v: number) => {
    const a = Math.max(0, Math.ceil((from - t0) / 1000));
    const b = Math.min(n, Math.ceil((to - t0) / 1000));
    for (let i = a; i < b; i++) arr[i] = arr[i]! + v;
  };
  for (const t of view.tasks.values()) {
    for (const sp of t.spans) {
      if (sp.start === null) continue;
      add(executing, sp.start, sp.end ?? end, 1);
      const pi = pilots.indexOf(sp.pilotId ?? "");
      if (pi >= 0) add(busy[pi]!, sp.start, sp.end ?? end, Math.max(1, sp.slots.length || t.cores));
    }
    let since: number | null = null;
    for (const h of t.history) {
      if (h.state === "TMGR_SCHEDULING_PENDING") since = h.at;
      else if (since !== null) {
        add(waiting, since, h.at, 1);
        since = null;
      }
    }
    if (since !== null) add(waiting, since, end, 1);
  }
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) rows.push([i, executing[i], waiting[i], ...busy.map((b) => b[i])]);
  return toCsv(
    [
      "t_s",
      "tasks_executing",
      "wait_queue",
      ...pilots.map((p) => `busy_cores_${view.pilots.get(p)?.label ?? p}`),
    ],
    rows,
  );
}
