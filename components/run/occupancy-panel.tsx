"use client";
import { memo, useMemo } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { RunView } from "@/lib/stats/fold";
import { occupancySeries } from "@/lib/stats/timeseries";

/** Distinct from the stage colours of the task bars, so a pilot is never mistaken for a stage. */
const PILOT_COLORS = ["#7c3aed", "#0891b2", "#ea580c", "#65a30d", "#db2777", "#0d9488", "#ca8a04", "#4f46e5"];

const axis = { stroke: "var(--border)", tick: { fill: "var(--muted)", fontSize: 11 } };
const tip = {
  contentStyle: { background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" },
  labelFormatter: (t: unknown) => `${String(t)} s`,
};

/**
 * Occupancy over time, live: busy cores per pilot (stacked) and the wait queue against the tasks
 * executing, from lib/stats' time series. Animations are off: the data changes every second.
 * Memoised: the run page re-renders every second while live, this only when its props change.
 */
export const OccupancyPanel = memo(function OccupancyPanel({
  view,
  now,
  labels,
}: {
  view: RunView;
  now: number;
  labels: Map<string, string>;
}) {
  const s = useMemo(() => occupancySeries(view, { now, maxPoints: 200 }), [view, now]);
  const data = useMemo(
    () =>
      s.points.map((p) => ({
        t: p.t,
        waiting: p.waiting,
        executing: p.executing,
        ...Object.fromEntries(s.pilotIds.map((id, i) => [id, p.busy[i]])),
      })),
    [s],
  );
  const last = s.points[s.points.length - 1];
  const cores = [...view.pilots.values()]
    .filter((p) => p.state === "PMGR_ACTIVE")
    .reduce((a, p) => a + p.cores, 0);
  const busyNow = last ? last.busy.reduce((a, b) => a + b, 0) : 0;
  return (
    <section className="panel" data-testid="occupancy">
      <h2 style={{ marginTop: 0 }}>Occupancy</h2>
      <div className="grid2">
        <figure className="chart" style={{ margin: 0 }}>
          <figcaption id="occ-busy">
            Busy cores per pilot (sampled every {s.step} s) · now {busyNow} busy of {cores} active cores
          </figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <AreaChart
              data={data}
              margin={{ top: 8, right: 12, bottom: 0, left: -12 }}
              aria-labelledby="occ-busy"
            >
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis dataKey="t" type="number" domain={[0, "dataMax"]} unit=" s" {...axis} />
              <YAxis allowDecimals={false} {...axis} />
              <Tooltip {...tip} />
              <Legend wrapperStyle={{ fontSize: 11, color: "var(--text)" }} />
              {s.pilotIds.map((id, i) => (
                <Area
                  key={id}
                  dataKey={id}
                  name={labels.get(id) ?? id}
                  stackId="busy"
                  type="stepAfter"
                  stroke={PILOT_COLORS[i % PILOT_COLORS.length]}
                  fill={PILOT_COLORS[i % PILOT_COLORS.length]}
                  fillOpacity={0.45}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </figure>
        <figure className="chart" style={{ margin: 0 }}>
          <figcaption id="occ-queue" data-testid="occupancy-now">
            Wait queue and tasks executing · now {last?.waiting ?? 0} waiting, {last?.executing ?? 0}{" "}
            executing
          </figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart
              data={data}
              margin={{ top: 8, right: 12, bottom: 0, left: -12 }}
              aria-labelledby="occ-queue"
            >
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis dataKey="t" type="number" domain={[0, "dataMax"]} unit=" s" {...axis} />
              <YAxis allowDecimals={false} {...axis} />
              <Tooltip {...tip} />
              <Legend wrapperStyle={{ fontSize: 11, color: "var(--text)" }} />
              <Line
                dataKey="waiting"
                name="wait queue"
                type="stepAfter"
                stroke="var(--warn)"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
              <Line
                dataKey="executing"
                name="tasks executing"
                type="stepAfter"
                stroke="var(--active)"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </div>
    </section>
  );
});
