import { stageColor } from "@/lib/timeline/theme";

/** The timeline's key, as a list so screen readers read it in order; colours follow the theme. */
export function GanttLegend({ stages, colorBy }: { stages: string[]; colorBy: "stage" | "state" }) {
  const tasks: [string, string][] =
    colorBy === "stage"
      ? stages.map((s) => [stageColor(stages, s), `task of ${s}`])
      : [
          ["var(--active)", "task executing"],
          ["var(--done)", "task done"],
          ["var(--failed)", "task failed"],
          ["var(--canceled)", "task cancelled"],
          ["var(--queued)", "task waiting"],
        ];
  return (
    <ul className="legend" aria-label="Timeline legend" data-testid="gantt-legend">
      <li>
        <span className="swatch waiting" aria-hidden="true" /> pilot waiting (queued, or never active)
      </li>
      <li>
        <span className="swatch" style={{ background: "var(--active)" }} aria-hidden="true" /> pilot active
      </li>
      <li>
        <span className="swatch end" style={{ background: "var(--done)" }} aria-hidden="true" /> pilot ended:
        done
      </li>
      <li>
        <span className="swatch end" style={{ background: "var(--failed)" }} aria-hidden="true" /> pilot
        ended: failed
      </li>
      <li>
        <span className="swatch end" style={{ background: "var(--canceled)" }} aria-hidden="true" /> pilot
        ended: cancelled
      </li>
      {tasks.map(([c, label]) => (
        <li key={label}>
          <span className="swatch" style={{ background: c }} aria-hidden="true" /> {label}
        </li>
      ))}
      <li>
        <span className="swatch outlined" aria-hidden="true" /> retried or rebound task (outlined)
      </li>
      <li>
        <span className="swatch now" aria-hidden="true" /> now (while the run is live)
      </li>
    </ul>
  );
}
