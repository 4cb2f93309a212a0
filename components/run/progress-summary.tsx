import { formatDuration } from "@/lib/stats/duration";
import type { Progress } from "@/lib/stats/progress";

// the statistics panel writes its durations with the same function: one time, one text
const dur = formatDuration;

/** The headline cards, the progress bar (done, then failed, in one bar) and the estimate of the time left. */
export function ProgressSummary({
  p,
  elapsed,
  ended,
  pilotsActive,
  pilotsTotal,
}: {
  p: Progress;
  elapsed: number;
  ended: boolean;
  pilotsActive: number;
  pilotsTotal: number;
}) {
  const pct = (n: number) => (p.total ? (n / p.total) * 100 : 0);
  const eta = ended
    ? null
    : p.etaSeconds === null
      ? "estimating once a task finishes…"
      : p.remaining === 0
        ? "finishing…"
        : `about ${dur(p.etaSeconds)} to go at ${p.rate! >= 1 ? `${p.rate!.toFixed(1)} tasks/s` : `${(p.rate! * 60).toFixed(1)} tasks/min`}`;
  return (
    <section className="panel" aria-label="Progress">
      <div className="row" style={{ justifyContent: "space-around" }}>
        <div className="stat">
          <span className="v" data-testid="done-count">
            {p.done} / {p.total}
          </span>
          <span className="k">tasks done</span>
        </div>
        <div className="stat">
          <span className="v" data-testid="failed-count">
            {p.failed}
          </span>
          <span className="k">failed or cancelled</span>
        </div>
        <div className="stat">
          <span className="v" data-testid="elapsed">
            {dur(elapsed)}
          </span>
          <span className="k">{ended ? "time to completion" : "elapsed"}</span>
        </div>
        <div className="stat">
          <span className="v" data-testid="pilots-active">
            {pilotsActive} / {pilotsTotal}
          </span>
          <span className="k">pilots active</span>
        </div>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="tasks finished"
        aria-valuemin={0}
        aria-valuemax={p.total}
        aria-valuenow={p.done + p.failed}
        aria-valuetext={`${p.done} done and ${p.failed} failed of ${p.total}`}
        style={{ display: "flex", marginTop: "0.75rem" }}
      >
        <div style={{ width: `${pct(p.done)}%` }} />
        <div className="failed" style={{ width: `${pct(p.failed)}%` }} />
      </div>
      {eta ? (
        <div className="muted" data-testid="eta">
          {eta}
        </div>
      ) : null}
    </section>
  );
}
