"use client";
import dynamic from "next/dynamic";
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { cancelRunAction, deleteRunAction } from "@/app/(app)/runs/[id]/actions";
import { countsByStage } from "@/lib/stats/fold";
import { progress } from "@/lib/stats/progress";
import { timelinePilots, timelineTasks } from "@/lib/timeline/build";
import type { GanttModel } from "@/lib/timeline/model";
import { DeleteButton } from "../delete-button";
import { GanttCanvas } from "../gantt/gantt-canvas";
import { GanttLegend } from "../gantt/legend";
import { EventLog } from "./event-log";
import { LiveBanner } from "./live-banner";
import { PilotsTable } from "./pilots-table";
import { ProgressSummary } from "./progress-summary";
import { StateCounts } from "./state-counts";
import type { PredictionRecord } from "@/lib/sim/calibrated";
import { StatsPanel } from "./stats-panel";
import { TaskDetail } from "./task-detail";
import { TimelineDownloads } from "./timeline-downloads";
import { useRunEvents } from "./use-run-events";

interface Props {
  runId: string;
  name: string;
  strategy: string;
  createdAt: string;
  dir: string | null;
  pilots: { id: string; label: string; jobId: string | null }[];
  /** made at launch (issue 15); null for runs launched before predictions were kept */
  prediction?: PredictionRecord | null;
}

const FINAL = ["DONE", "FAILED", "CANCELED"];

// recharts is most of the page's JavaScript: loaded on its own, after the page is interactive,
// so it delays neither hydration nor the timeline's first paint
const OccupancyPlaceholder = () => (
  <section className="panel" data-testid="occupancy-loading" style={{ minHeight: 290 }}>
    <h2 style={{ marginTop: 0 }}>Occupancy</h2>
  </section>
);
const OccupancyPanel = dynamic(() => import("./occupancy-panel").then((m) => m.OccupancyPanel), {
  ssr: false,
  loading: OccupancyPlaceholder,
});

/** The live run page: progress, occupancy, timeline, counts, pilots with controls, event log, task detail. */
export function RunDashboard(p: Props) {
  const live = useRunEvents(p.runId);
  const view = live.view;
  const [now, setNow] = useState(() => Date.now());
  const ended = FINAL.includes(view.runState);
  useEffect(() => {
    if (ended) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ended]);
  const end = ended ? (view.lastAt ?? now) : now;
  const labels = useMemo(() => new Map(p.pilots.map((x) => [x.id, x.label])), [p.pilots]);
  // The bars do not move with the clock: only the pilots' waits do, so only they are redone each
  // second. The stages are copied: the fold appends to its array in place, a memo would miss that.
  const bars = useMemo(() => timelineTasks(view, labels), [view, labels]);
  const gantt = useMemo<GanttModel>(
    () => ({
      t0: view.t0 ?? end,
      pilots: timelinePilots(view, labels, end),
      tasks: bars,
      stages: view.stages.slice(),
    }),
    [view, labels, end, bars],
  );
  // Everything below the timeline follows a deferred copy: React draws the Gantt first and
  // renders these (statistics, occupancy charts, counts, event log: together they cost more than
  // the canvas on a 10,000-task run) right after, in the background, without holding it up.
  const lagging = useDeferredValue(live);
  const lagView = lagging.view;
  const lagEnded = FINAL.includes(lagView.runState);
  // and the heavy ones (recharts, the statistics) wait for the backlog: rendered while it streams
  // in, they would take the CPU that parsing and folding it needs, for a picture of nothing
  const heavy = lagging.loaded;
  const counts = useMemo(() => countsByStage(lagView), [lagView]);
  const prog = useMemo(() => progress(view, end), [view, end]);
  const [task, setTask] = useState<string | null>(null);
  const [colorBy, setColorBy] = useState<"stage" | "state">("stage");
  const [msg, setMsg] = useState<string | null>(null);
  // stable, so the memoised panels do not re-render for nothing every second
  const openTask = useCallback((id: string) => {
    setTask(id);
    document.getElementById("task")?.scrollIntoView({ block: "nearest" });
  }, []);

  return (
    <>
      <div className="spread">
        <h1>
          {p.name}{" "}
          <span className={`badge ${view.runState}`} data-testid="run-state">
            {view.runState}
          </span>
        </h1>
        <div className="row">
          <span className="muted" data-testid="live-status">
            {live.status === "live" ? "live" : live.status === "ended" ? "final" : live.status}
          </span>
          {!ended ? (
            <button
              className="btn danger"
              type="button"
              onClick={async () => {
                const r = await cancelRunAction(p.runId);
                setMsg(r.ok ? "Cancelling…" : r.error.message);
              }}
            >
              Cancel run
            </button>
          ) : (
            <DeleteButton
              label="Delete run"
              testId="delete-run"
              question={`Delete ${p.name}? Its records, its directory on the server and the archive in it are removed; this cannot be undone.`}
              action={() => deleteRunAction(p.runId)}
              then="/runs"
            />
          )}
        </div>
      </div>
      <LiveBanner status={live.status} />
      {msg ? (
        <div className="notice" role="status">
          {msg}
        </div>
      ) : null}
      {view.runReason && ended ? (
        <div className={`notice ${view.runState === "DONE" ? "" : "error"}`} data-testid="run-reason">
          {view.runReason}
        </div>
      ) : null}
      <ProgressSummary
        p={prog}
        elapsed={view.t0 ? (end - view.t0) / 1000 : 0}
        ended={ended}
        pilotsActive={
          gantt.pilots.filter((x) => !x.finalState && x.segments.at(-1)?.state === "PMGR_ACTIVE").length
        }
        pilotsTotal={gantt.pilots.length}
      />
      {heavy && lagEnded ? (
        <StatsPanel
          runId={p.runId}
          events={lagging.events}
          view={lagView}
          prediction={p.prediction ?? null}
        />
      ) : null}
      <section className="panel" aria-labelledby="timeline-h">
        <div className="spread">
          <h2 style={{ margin: 0 }} id="timeline-h">
            Timeline
          </h2>
          <div className="row">
            <label style={{ flexDirection: "row", alignItems: "center", gap: 6 }}>
              Colour tasks by
              <select
                value={colorBy}
                onChange={(e) => setColorBy(e.target.value === "state" ? "state" : "stage")}
              >
                <option value="stage">stage</option>
                <option value="state">state</option>
              </select>
            </label>
            <TimelineDownloads runId={p.runId} />
          </div>
        </div>
        <GanttCanvas model={gantt} now={end} colorBy={colorBy} onSelectTask={openTask} />
        <GanttLegend stages={gantt.stages} colorBy={colorBy} />
      </section>
      {heavy ? <OccupancyPanel view={lagView} now={end} labels={labels} /> : <OccupancyPlaceholder />}
      <div className="grid2">
        <StateCounts counts={counts} />
        <PilotsTable pilots={gantt.pilots} onMessage={setMsg} />
      </div>
      <div className="grid2">
        <EventLog events={lagging.events} t0={lagView.t0} labels={labels} onTask={openTask} />
        <section className="panel" id="task" aria-labelledby="task-h">
          <h2 style={{ marginTop: 0 }} id="task-h">
            Task
          </h2>
          {task ? (
            <TaskDetail
              runId={p.runId}
              taskId={task}
              view={view.tasks.get(task) ?? null}
              t0={view.t0 ?? 0}
              labels={labels}
            />
          ) : (
            <p className="muted">
              Pick a task in the timeline (click, or Enter on the keyboard) or in the event log to see its
              states, attempts and output.
            </p>
          )}
          <p className="muted">
            Run directory on the server: <code>{p.dir}</code>
          </p>
        </section>
      </div>
    </>
  );
}
