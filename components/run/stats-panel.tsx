"use client";
import { memo, useMemo } from "react";
import type { RunEvent } from "@/lib/model/event";
import type { RunView } from "@/lib/stats/fold";
import { formatDuration } from "@/lib/stats/duration";
import { computeStats, plainReport } from "@/lib/stats/metrics";
import type { PredictionRecord } from "@/lib/sim/calibrated";
import { versus } from "@/lib/sim/versus";
import { PredictedVsActual } from "./predicted-vs-actual";

const FILES = ["run.json", "pilots.csv", "tasks.csv", "events.jsonl", "timeseries.csv"];

/**
 * The headline numbers and the plain-language report, with the downloads.
 * Memoised: the run page re-renders every second while live, this only when its props change.
 */
export const StatsPanel = memo(function StatsPanel({
  runId,
  events,
  view,
  prediction,
}: {
  runId: string;
  events: RunEvent[];
  view: RunView;
  prediction?: PredictionRecord | null;
}) {
  const st = useMemo(() => computeStats(events, view), [events, view]);
  const vs = useMemo(
    () => (prediction && prediction.median !== null ? versus(prediction, events) : null),
    [prediction, events],
  );
  const u = st.utilisation;
  return (
    <section className="panel" data-testid="stats-panel">
      <h2 style={{ marginTop: 0 }}>Statistics</h2>
      <p data-testid="stats-report">{plainReport(st)}</p>
      <div className="row" style={{ justifyContent: "space-around" }}>
        {(
          [
            ["TTC", st.ttc],
            ["TTQ (queue of the pilots that started, union)", st.ttq],
            ["TTX (execution, union)", st.ttx],
            ["overhead", st.ovh],
          ] as const
        ).map(([k, v]) => (
          <div className="stat" key={k}>
            <span className="v">{formatDuration(v)}</span>
            <span className="k">{k}</span>
          </div>
        ))}
        {st.neverActive ? (
          <div className="stat" data-testid="stats-never-active">
            <span className="v">
              {st.neverActive} · {formatDuration(st.ttqNeverActive)}
            </span>
            <span className="k">pilots that never started · their queue wait</span>
          </div>
        ) : null}
        <div className="stat">
          <span className="v">
            {u.application.toFixed(0)} / {u.system.toFixed(0)} / {u.idle.toFixed(0)} %
          </span>
          <span className="k">cores: application / system / idle</span>
        </div>
      </div>
      {prediction ? <PredictedVsActual prediction={prediction} vs={vs} /> : null}
      {st.problems.length ? (
        <div className="notice warn">
          {st.problems.length} event(s) with bad timestamps were left out:{" "}
          {st.problems.slice(0, 3).join("; ")}
        </div>
      ) : null}
      <div className="row" style={{ marginTop: "0.5rem" }}>
        {FILES.map((f) => (
          <a key={f} className="btn" href={`/api/runs/${runId}/download/${f}`}>
            {f}
          </a>
        ))}
        <a
          className="btn primary"
          href={`/api/runs/${runId}/download/archive`}
          data-testid="download-archive"
        >
          run archive (.zip)
        </a>
      </div>
    </section>
  );
});
