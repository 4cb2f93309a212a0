"use client";
import { useEffect, useMemo, useState } from "react";
import { cancelPilotAction, cancelRunAction } from "@/app/(app)/runs/[id]/actions";
import { countsByStage, STATE_GROUPS } from "@/lib/stats/fold";
import { GanttCanvas } from "../gantt/gantt-canvas";
import { StatsPanel } from "./stats-panel";
import { TaskDetail } from "./task-detail";
import { toGantt } from "./to-gantt";
import { useRunEvents } from "./use-run-events";

interface Props {
  runId: string;
  name: string;
  strategy: string;
  createdAt: string;
  dir: string | null;
  pilots: { id: string; label: string; jobId: string | null }[];
}

const FINAL = ["DONE", "FAILED", "CANCELED"];

/** The live run page: timeline, counts, progress, pilots with controls, searchable event log, task detail. */
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
  const gantt = useMemo(() => toGantt(view, labels), [view, labels]);
  const counts = countsByStage(view);
  const total = view.tasks.size;
  const done = [...view.tasks.values()].filter((t) => t.state === "DONE").length;
  const failed = [...view.tasks.values()].filter((t) => FINAL.includes(t.state) && t.state !== "DONE").length;
  const elapsed = view.t0 ? (end - view.t0) / 1000 : 0;
  const [filter, setFilter] = useState("");
  const [task, setTask] = useState<string | null>(null);
  const [colorBy, setColorBy] = useState<"stage" | "state">("stage");
  const [msg, setMsg] = useState<string | null>(null);

  const events = live.events.filter((e) => !filter || `${e.entity} ${e.entityId} ${e.to} ${e.reason ?? ""}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <>
      <div className="spread">
        <h1>
          {p.name} <span className={`badge ${view.runState}`} data-testid="run-state">{view.runState}</span>
        </h1>
        <div className="row">
          {!ended ? (
            <button className="btn danger" type="button" onClick={async () => { const r = await cancelRunAction(p.runId); setMsg(r.ok ? "Cancelling…" : r.error.message); }}>
              Cancel run
            </button>
          ) : null}
        </div>
      </div>
      {live.status === "reconnecting" || live.status === "polling" ? (
        <div className="notice warn" role="status" data-testid="live-banner">
          Live updates stopped; {live.status === "polling" ? "checking every 2 s instead" : "reconnecting…"}
        </div>
      ) : null}
      {msg ? <div className="notice">{msg}</div> : null}
      {view.runReason && ended ? <div className={`notice ${view.runState === "DONE" ? "" : "error"}`} data-testid="run-reason">{view.runReason}</div> : null}
      <div className="panel row" style={{ justifyContent: "space-around" }}>
        <div className="stat"><span className="v" data-testid="done-count">{done} / {total}</span><span className="k">tasks done</span></div>
        <div className="stat"><span className="v">{failed}</span><span className="k">failed or cancelled</span></div>
        <div className="stat"><span className="v">{Math.round(elapsed)} s</span><span className="k">{ended ? "time to completion" : "elapsed"}</span></div>
        <div className="stat"><span className="v">{[...view.pilots.values()].filter((x) => x.state === "PMGR_ACTIVE").length} / {view.pilots.size}</span><span className="k">pilots active</span></div>
        <div style={{ flex: 1, minWidth: 200 }}>
          <div style={{ height: 10, background: "var(--border)", borderRadius: 5, overflow: "hidden" }} role="progressbar" aria-valuenow={done} aria-valuemax={total} aria-label="tasks done">
            <div style={{ width: `${total ? (done / total) * 100 : 0}%`, height: "100%", background: "var(--ok)" }} />
          </div>
          {!ended && done > 0 && total > done ? <div className="muted">about {Math.round((elapsed / done) * (total - done))} s to go at the current rate</div> : null}
        </div>
      </div>
      {ended ? <StatsPanel runId={p.runId} events={live.events} view={view} /> : null}
      <section className="panel">
        <div className="spread">
          <h2 style={{ margin: 0 }}>Timeline</h2>
          <label style={{ flexDirection: "row", alignItems: "center", gap: 6 }}>
            Colour tasks by
            <select value={colorBy} onChange={(e) => setColorBy(e.target.value as "stage" | "state")}>
              <option value="stage">stage</option>
              <option value="state">state</option>
            </select>
          </label>
        </div>
        <GanttCanvas model={gantt} now={end} colorBy={colorBy} />
        <div className="row muted" style={{ fontSize: 12 }}>
          Pilot bars: <span style={{ color: "var(--queued)" }}>■ queued</span> <span style={{ color: "var(--active)" }}>■ active</span> · ended: done / <span style={{ color: "var(--failed)" }}>failed</span> / cancelled in the label ·
          {gantt.stages.map((s, i) => <span key={s} style={{ color: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"][i % 8] }}>■ {s}</span>)}
        </div>
      </section>
      <div className="grid2">
        <section className="panel" style={{ overflowX: "auto" }}>
          <h2 style={{ marginTop: 0 }}>Tasks by stage</h2>
          <table className="data" data-testid="counts">
            <thead><tr><th>Stage</th>{STATE_GROUPS.map((g) => <th key={g}>{g}</th>)}</tr></thead>
            <tbody>
              {[...counts].map(([stage, c]) => (
                <tr key={stage}><td>{stage}</td>{STATE_GROUPS.map((g) => <td key={g} data-testid={`count-${stage}-${g}`}>{c[g]}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2 style={{ marginTop: 0 }}>Pilots</h2>
          <table className="data" data-testid="pilots">
            <thead><tr><th>Pilot</th><th>State</th><th>Waited</th><th /></tr></thead>
            <tbody>
              {[...view.pilots.values()].map((x) => {
                const q = x.enteredAt.PMGR_ACTIVE_PENDING;
                const a = x.enteredAt.PMGR_ACTIVE;
                return (
                  <tr key={x.id}>
                    <td>{labels.get(x.id) ?? x.label}</td>
                    <td><span className={`badge ${x.state}`}>{x.state}</span>{x.reason ? <div className="muted">{x.reason}</div> : null}</td>
                    <td>{q ? `${Math.round(((a ?? (FINAL.includes(x.state) ? (view.lastAt ?? now) : now)) - q) / 1000)} s${a ? "" : " (never active)"}` : "—"}</td>
                    <td>{!FINAL.includes(x.state) ? <button className="btn" type="button" onClick={async () => { const r = await cancelPilotAction(x.id); setMsg(r.ok ? `Cancelling ${x.label}…` : r.error.message); }}>Cancel</button> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
      <div className="grid2">
        <section className="panel">
          <div className="spread">
            <h2 style={{ margin: 0 }}>Events</h2>
            <input placeholder="search events" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="search events" />
          </div>
          <div style={{ maxHeight: 320, overflow: "auto" }} data-testid="event-log">
            <table className="data">
              <tbody>
                {events.slice(-400).reverse().map((e) => (
                  <tr key={e.seq}>
                    <td className="mono">{view.t0 ? ((e.at - view.t0) / 1000).toFixed(1) : 0} s</td>
                    <td>{e.entity} {e.entity === "task" ? <a href="#task" onClick={() => setTask(e.entityId)}>{e.entityId}</a> : (labels.get(e.entityId) ?? e.entityId)}</td>
                    <td>{e.to}</td>
                    <td className="muted">{e.reason ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="panel" id="task">
          <h2 style={{ marginTop: 0 }}>Task</h2>
          {task ? <TaskDetail runId={p.runId} taskId={task} view={view.tasks.get(task) ?? null} t0={view.t0 ?? 0} labels={labels} /> : <p className="muted">Pick a task in the event log to see its states, attempts and output.</p>}
          <p className="muted">Run directory on the server: <code>{p.dir}</code></p>
        </section>
      </div>
    </>
  );
}
