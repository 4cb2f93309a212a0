import type { PredictionRecord } from "@/lib/sim/calibrated";
import type { Versus } from "@/lib/sim/versus";
import { formatDuration } from "@/lib/stats/duration";

/** The prediction made at launch beside what happened, term by term, with the model's error (issue 15). */
const ROWS = [
  ["TTC", "ttc"],
  ["queue wait", "queueWait"],
  ["start-up", "startup"],
  ["execution", "execution"],
  ["staging", "staging"],
  ["overhead", "overhead"],
] as const;
const sec = (x: number | null) => (x === null ? "—" : formatDuration(x));
const pct = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : ""}${Math.round(x * 100)} %`);

export function PredictedVsActual({
  prediction: p,
  vs,
}: {
  prediction: PredictionRecord;
  vs: Versus | null;
}) {
  if (!vs)
    return (
      <p className="muted" data-testid="prediction-none">
        Prediction at launch: {p.error ?? "none (no simulation finished)"}
      </p>
    );
  return (
    <details open data-testid="predicted-vs-actual">
      <summary>
        Predicted at launch {sec(p.median)} (p10–p90 {sec(p.p10)}–{sec(p.p90)}
        {p.failShare > 0 ? `, ${Math.round(p.failShare * 100)} % of simulations failed` : ""}), actual{" "}
        {sec(vs.actual.ttc)}: error <span data-testid="prediction-error">{pct(vs.error.ttc)}</span>{" "}
        <span className="muted">
          (
          {p.inputs.calibratedFrom
            ? `model learned from ${p.inputs.calibratedFrom} earlier run(s)`
            : "documented defaults: no earlier runs"}
          )
        </span>
      </summary>
      <table className="data">
        <thead>
          <tr>
            <th></th>
            <th>predicted</th>
            <th>actual</th>
            <th>error (actual / predicted − 1)</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([label, k]) => (
            <tr key={k}>
              <td>{label}</td>
              <td>{sec(k === "ttc" ? vs.predicted.ttc : vs.predicted.terms[k])}</td>
              <td>{sec(k === "ttc" ? vs.actual.ttc : vs.actual.terms[k])}</td>
              <td>{pct(vs.error[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
