import { ScrollX } from "./scroll-x";

/**
 * The stages as boxes in execution order, with an arrow for every "reads the outputs of" edge.
 * The drawing scales down to its box's width, but not below ~70 % (text stays readable); past
 * that the box scrolls sideways (ScrollX), never the page.
 */
export function StageGraph({ stages }: { stages: { name: string; tasks: number; dependsOn: string[] }[] }) {
  const W = 150;
  const H = 46;
  const GAP = 50;
  const x = (i: number) => 10 + i * (W + GAP);
  const idx = new Map(stages.map((s, i) => [s.name, i]));
  const width = x(stages.length) + 10;
  return (
    <ScrollX label="Stage graph">
      <svg
        width={width}
        height={H + 70}
        viewBox={`0 0 ${width} ${H + 70}`}
        style={{
          display: "block",
          width: "100%",
          maxWidth: width,
          minWidth: Math.round(width * 0.7),
          height: "auto",
        }}
        role="img"
        aria-label={`Stage dependencies: ${stages.map((s) => `${s.name}${s.dependsOn.length ? ` after ${s.dependsOn.join(", ")}` : ""}`).join("; ")}`}
        data-testid="stage-graph"
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
          </marker>
        </defs>
        {stages.flatMap((s, i) =>
          s.dependsOn.map((d) => {
            const j = idx.get(d) ?? 0;
            const adjacent = i - j === 1;
            const from = x(j) + W;
            const to = x(i);
            return adjacent ? (
              <line
                key={`${d}-${s.name}`}
                x1={from}
                y1={H / 2 + 10}
                x2={to}
                y2={H / 2 + 10}
                stroke="currentColor"
                markerEnd="url(#arrow)"
              />
            ) : (
              <path
                key={`${d}-${s.name}`}
                d={`M ${x(j) + W / 2} ${H + 10} C ${x(j) + W / 2} ${H + 55}, ${to + W / 2} ${H + 55}, ${to + W / 2} ${H + 10}`}
                fill="none"
                stroke="currentColor"
                markerEnd="url(#arrow)"
              />
            );
          }),
        )}
        {stages.map((s, i) => (
          <g key={s.name}>
            <rect x={x(i)} y={10} width={W} height={H} rx={6} fill="var(--panel)" stroke="var(--accent)" />
            <text
              x={x(i) + W / 2}
              y={30}
              textAnchor="middle"
              fill="var(--text)"
              fontSize={13}
              fontWeight={600}
            >
              {s.name}
            </text>
            <text x={x(i) + W / 2} y={47} textAnchor="middle" fill="var(--muted)" fontSize={12}>
              {s.tasks} task{s.tasks === 1 ? "" : "s"}
            </text>
          </g>
        ))}
      </svg>
    </ScrollX>
  );
}
