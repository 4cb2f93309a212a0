import type { ComparedRun } from "@/lib/stats/compare";

const LABEL_W = 170;
const ROW = 18;
const HEAD = 22;
const W = 1000;

/** Round tick step for a span of `s` seconds, about six ticks. */
function tickStep(s: number): number {
  const raw = Math.max(1, s) / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((x) => x >= raw) ?? raw;
}

/**
 * The runs' pilots on one time scale (seconds from each run's start): waiting hatched, active
 * outlined, busy (a task running on it) filled. An SVG that scales to its box; a phone scrolls it.
 */
export function CompareGantt({ runs }: { runs: ComparedRun[] }) {
  const span = Math.max(1, ...runs.map((r) => r.span));
  const x = (s: number) => LABEL_W + (Math.max(0, s) / span) * (W - LABEL_W - 10);
  const step = tickStep(span);
  const ticks = Array.from({ length: Math.floor(span / step) + 1 }, (_, i) => i * step);
  // each run's block starts below the previous one's pilots
  const tops = runs.reduce<number[]>(
    (acc, r, i) => [...acc, i === 0 ? 24 : acc[i - 1]! + HEAD + runs[i - 1]!.pilots.length * ROW + 8],
    [],
  );
  const blocks = runs.map((r, i) => ({ r, top: tops[i]! }));
  const last = runs[runs.length - 1];
  const height = (tops[tops.length - 1] ?? 24) + (last ? HEAD + last.pilots.length * ROW + 8 : 0) + 4;
  return (
    <svg
      viewBox={`0 0 ${W} ${height}`}
      width="100%"
      style={{ display: "block", minWidth: 560 }}
      role="img"
      aria-label={`Pilots of ${runs.length} runs on one time scale, 0 to ${Math.round(span)} s`}
      data-testid="compare-gantt"
    >
      <defs>
        <pattern
          id="cmp-wait"
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="2" height="6" fill="var(--queued)" />
        </pattern>
      </defs>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={16} y2={height} stroke="var(--border)" />
          <text x={x(t)} y={12} fontSize={11} textAnchor="middle" fill="var(--muted)">
            {t} s
          </text>
        </g>
      ))}
      {blocks.map(({ r, top }) => (
        <g key={r.id} data-testid={`compare-gantt-${r.id}`}>
          <text x={4} y={top + 14} fontSize={13} fontWeight={600} fill="var(--text)">
            {r.name.length > 60 ? `${r.name.slice(0, 59)}…` : r.name} · {r.strategy} · TTC {Math.round(r.ttc)}{" "}
            s
          </text>
          {r.pilots.map((p, i) => {
            const py = top + HEAD + i * ROW;
            return (
              <g key={i}>
                <text x={12} y={py + 12} fontSize={11} fill="var(--text)">
                  {p.label.length > 24 ? `${p.label.slice(0, 23)}…` : p.label}
                </text>
                {p.waiting ? (
                  <rect
                    x={x(p.waiting[0])}
                    y={py + 3}
                    width={Math.max(1, x(p.waiting[1]) - x(p.waiting[0]))}
                    height={ROW - 6}
                    fill="url(#cmp-wait)"
                  />
                ) : null}
                {p.active ? (
                  <rect
                    x={x(p.active[0])}
                    y={py + 2}
                    width={Math.max(1, x(p.active[1]) - x(p.active[0]))}
                    height={ROW - 4}
                    fill="none"
                    stroke="var(--active)"
                  />
                ) : null}
                {p.busy.map(([a, b], k) => (
                  <rect
                    key={k}
                    x={x(a)}
                    y={py + 4}
                    width={Math.max(1, x(b) - x(a))}
                    height={ROW - 8}
                    fill="var(--active)"
                    opacity={0.75}
                  />
                ))}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
