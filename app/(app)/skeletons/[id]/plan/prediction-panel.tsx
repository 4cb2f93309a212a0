import type { PredictionRecord } from "@/lib/sim/calibrated";
import { formatDuration } from "@/lib/stats/duration";

/**
 * Each strategy's simulated TTC (issue 15): median and p10–p90 over Monte-Carlo runs of the
 * calibrated model, the share of simulations that fail and why, where the time goes, and where
 * every input came from (measured from this project's runs, a documented default, or a what-if).
 */
const sec = (x: number | null) => (x === null ? "—" : formatDuration(x));
const fitted = (f: { value: number; source: string; n: number }) =>
  `${f.value < 10 ? f.value.toFixed(2) : Math.round(f.value)} s (${f.source === "measured" ? `measured, ${f.n}` : "default"})`;

export function PredictionPanel({
  predictions,
}: {
  predictions: { strategy: string; prediction: PredictionRecord | null }[];
}) {
  return (
    <section className="panel" data-testid="prediction-panel">
      <h2 style={{ marginTop: 0 }}>Simulated TTC</h2>
      <div className="row" style={{ alignItems: "flex-start" }}>
        {predictions.map(({ strategy, prediction: p }) => (
          <div key={strategy} style={{ flex: 1, minWidth: 280 }} data-testid={`prediction-${strategy}`}>
            <h3 style={{ marginTop: 0 }}>{strategy === "adaptive" ? "Adaptive" : "AIMES"}</h3>
            {!p ? (
              <p className="muted">No plan to simulate.</p>
            ) : p.error ? (
              <p className="notice warn">{p.error}</p>
            ) : (
              <>
                <p>
                  median <strong data-testid={`prediction-${strategy}-median`}>{sec(p.median)}</strong>,
                  p10–p90 {sec(p.p10)}–{sec(p.p90)} over {p.runs} simulations
                  {p.failShare > 0 ? (
                    <span className="error" data-testid={`prediction-${strategy}-fail`}>
                      {" "}
                      · {Math.round(p.failShare * 100)} % fail:{" "}
                      {p.failures.map((f) => `${f.reason} (${f.count})`).join("; ")}
                    </span>
                  ) : (
                    " · none fail"
                  )}
                </p>
                <p className="muted">
                  queue wait {sec(p.terms.queueWait)} · start-up {sec(p.terms.startup)} · execution{" "}
                  {sec(p.terms.execution)} · staging {sec(p.terms.staging)} · overhead {sec(p.terms.overhead)}{" "}
                  (medians)
                </p>
                <details>
                  <summary>
                    Where the numbers come from (
                    {p.inputs.calibratedFrom
                      ? `learned from ${p.inputs.calibratedFrom} of your runs`
                      : "no runs yet: documented defaults"}
                    )
                  </summary>
                  <ul>
                    {p.inputs.pilots.map((x, i) => (
                      <li key={i}>
                        pilot {i + 1} on {x.resource}[{x.queue ?? "default"}]: queue wait {x.wait}{" "}
                        <em>[{x.waitSource}]</em>
                      </li>
                    ))}
                    {p.inputs.overheads.map((o) => (
                      <li key={o.resource}>
                        {o.resource}: agent start-up {fitted(o.startupS)}, hand-over per task{" "}
                        {fitted(o.perTaskS)}, output collection {fitted(o.stageOutS)}, execution overrun{" "}
                        {fitted(o.execOverrunS)}
                      </li>
                    ))}
                    <li>
                      launch {fitted(p.inputs.submitS)}, between pilots {fitted(p.inputs.launchGapS)}, run end{" "}
                      {fitted(p.inputs.endS)}
                    </li>
                  </ul>
                </details>
              </>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
