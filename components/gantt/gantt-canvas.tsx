"use client";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type WheelEvent } from "react";
import { cssVar, pilotStateVar, stageColor, taskStateVar } from "./colors";
import { AXIS_H, LABEL_W, PILOT_ROW, hitTest, layoutBands, pan, tickStep, totalHeight, xOf, zoom, type Hit, type View } from "./geometry";
import type { GanttModel } from "./model";

/**
 * The pilot + task timeline on one canvas: thousands of bars stay smooth where an SVG of
 * as many nodes would not. One band per pilot: a header bar with its states, then one lane
 * per core slot with the tasks it ran. Wheel or +/- zooms, drag or arrows pan, 0 resets.
 */
export function GanttCanvas({ model, now, colorBy = "stage" }: { model: GanttModel; now: number; colorBy?: "stage" | "state" }) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(900);
  const bands = useMemo(() => layoutBands(model), [model]);
  const height = totalHeight(bands);
  const bounds = useMemo<View>(() => ({ from: 0, to: Math.max(10, (now - model.t0) / 1000 + 1) }), [now, model.t0]);
  const [view, setView] = useState<View | null>(null);
  const v = view ?? bounds;
  const [hover, setHover] = useState<{ hit: Hit; x: number; y: number } | null>(null);
  const drag = useRef<{ x: number; view: View } | null>(null);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(400, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const draw = useCallback(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = height * dpr;
    const g = c.getContext("2d");
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const text = cssVar(c, "--text");
    const muted = cssVar(c, "--muted");
    const border = cssVar(c, "--border");
    g.clearRect(0, 0, width, height);
    g.font = "12px system-ui, sans-serif";
    // time axis
    const step = tickStep(v.to - v.from);
    g.fillStyle = muted;
    g.strokeStyle = border;
    for (let s = Math.ceil(v.from / step) * step; s <= v.to; s += step) {
      const x = xOf(model.t0 + s * 1000, model.t0, v, width);
      g.beginPath();
      g.moveTo(x, AXIS_H - 4);
      g.lineTo(x, height);
      g.stroke();
      g.fillText(`${Math.round(s)} s`, x + 2, 14);
    }
    const clipX = (x: number) => Math.min(Math.max(x, LABEL_W), width);
    for (const b of bands) {
      const p = b.pilot;
      g.fillStyle = text;
      g.fillText(p.label, 4, b.y + 14, LABEL_W - 8);
      g.fillStyle = muted;
      const sub = p.neverActive ? `never active${p.finalState ? `: ${p.finalState}` : ""}` : (p.finalState ?? "");
      g.fillText(sub, 4, b.y + PILOT_ROW + 10, LABEL_W - 8);
      for (const seg of p.segments) {
        const x0 = clipX(xOf(seg.start, model.t0, v, width));
        const x1 = clipX(xOf(seg.end ?? now, model.t0, v, width));
        if (x1 <= x0) continue;
        g.fillStyle = cssVar(c, pilotStateVar(seg.state));
        g.globalAlpha = seg.state === "PMGR_ACTIVE" ? 0.85 : 0.55;
        g.fillRect(x0, b.y + 4, Math.max(1, x1 - x0), PILOT_ROW - 8);
        g.globalAlpha = 1;
      }
    }
    const bandOf = new Map(bands.map((b) => [b.pilot.id, b]));
    for (const t of model.tasks) {
      const b = bandOf.get(t.pilotId);
      if (!b) continue;
      const x0 = clipX(xOf(t.start, model.t0, v, width));
      const x1 = clipX(xOf(t.end ?? now, model.t0, v, width));
      if (x1 <= x0 && x0 >= width) continue;
      const lane = Math.min(t.lane, b.lanes - 1);
      g.fillStyle = colorBy === "stage" ? stageColor(model.stages, t.stage) : cssVar(c, taskStateVar(t.state));
      g.fillRect(x0, b.y + PILOT_ROW + lane * b.lane, Math.max(1, x1 - x0 - 0.5), Math.min(t.width, b.lanes - lane) * b.lane - 1);
      if (t.state === "FAILED" || t.attempt > 0) {
        g.strokeStyle = cssVar(c, "--failed");
        g.strokeRect(x0, b.y + PILOT_ROW + lane * b.lane, Math.max(1, x1 - x0 - 0.5), b.lane - 1);
      }
    }
    // "now" line while the run is live
    const xn = xOf(now, model.t0, v, width);
    if (xn > LABEL_W && xn < width) {
      g.strokeStyle = cssVar(c, "--accent");
      g.setLineDash([4, 3]);
      g.beginPath();
      g.moveTo(xn, AXIS_H);
      g.lineTo(xn, height);
      g.stroke();
      g.setLineDash([]);
    }
  }, [bands, colorBy, height, model, now, v, width]);

  useEffect(draw, [draw]);

  const onWheel = (e: WheelEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    setView(zoom(v, e.deltaY < 0 ? 0.8 : 1.25, e.clientX - r.left, width, bounds));
  };
  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    if (drag.current) {
      const dx = ((drag.current.x - x) / (width - LABEL_W)) * (drag.current.view.to - drag.current.view.from);
      setView(pan(drag.current.view, dx, bounds));
      return;
    }
    setHover({ hit: hitTest(x, y, model, bands, v, width, now), x, y });
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const span = v.to - v.from;
    const mid = LABEL_W + (width - LABEL_W) / 2;
    if (e.key === "+" || e.key === "=") setView(zoom(v, 0.8, mid, width, bounds));
    else if (e.key === "-") setView(zoom(v, 1.25, mid, width, bounds));
    else if (e.key === "ArrowLeft") setView(pan(v, -span * 0.1, bounds));
    else if (e.key === "ArrowRight") setView(pan(v, span * 0.1, bounds));
    else if (e.key === "0") setView(null);
    else return;
    e.preventDefault();
  };

  return (
    <div ref={wrap} style={{ position: "relative", width: "100%" }}>
      <div className="row" style={{ marginBottom: 6 }}>
        <button className="btn" type="button" onClick={() => setView(zoom(v, 0.8, LABEL_W + (width - LABEL_W) / 2, width, bounds))} aria-label="Zoom in">+</button>
        <button className="btn" type="button" onClick={() => setView(zoom(v, 1.25, LABEL_W + (width - LABEL_W) / 2, width, bounds))} aria-label="Zoom out">−</button>
        <button className="btn" type="button" onClick={() => setView(null)}>Reset view</button>
        <span className="muted">
          {v.from.toFixed(0)}–{v.to.toFixed(0)} s since start · wheel to zoom, drag to pan
        </span>
      </div>
      <canvas
        ref={canvas}
        data-testid="gantt-canvas"
        tabIndex={0}
        role="img"
        aria-label={`Timeline of ${model.pilots.length} pilots and ${model.tasks.length} tasks. Use + and - to zoom, arrow keys to pan, 0 to reset.`}
        style={{ width, height, display: "block", cursor: "crosshair" }}
        onWheel={onWheel}
        onMouseMove={onMove}
        onMouseLeave={() => {
          setHover(null);
          drag.current = null;
        }}
        onMouseDown={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          drag.current = { x: e.clientX - r.left, view: v };
        }}
        onMouseUp={() => (drag.current = null)}
        onKeyDown={onKey}
      />
      {hover?.hit ? <Tooltip hit={hover.hit} x={hover.x} y={hover.y} t0={model.t0} now={now} /> : null}
    </div>
  );
}

function Tooltip({ hit, x, y, t0, now }: { hit: NonNullable<Hit>; x: number; y: number; t0: number; now: number }) {
  const secs = (t: number) => `${((t - t0) / 1000).toFixed(1)} s (${new Date(t).toLocaleTimeString()})`;
  const body =
    hit.kind === "task" ? (
      <>
        <strong>{hit.task.taskId}</strong> · {hit.task.stage} · {hit.task.state}
        <br />
        {secs(hit.task.start)} → {hit.task.end ? secs(hit.task.end) : "running"} ({(((hit.task.end ?? now) - hit.task.start) / 1000).toFixed(1)} s)
        {hit.task.attempt > 0 ? <><br />attempt {hit.task.attempt + 1}</> : null}
        {hit.task.note ? <><br />{hit.task.note}</> : null}
      </>
    ) : (
      <>
        <strong>{hit.pilot.label}</strong>
        {hit.pilot.segments.map((s) => (
          <div key={`${s.state}-${s.start}`}>
            {s.state}: {secs(s.start)}
          </div>
        ))}
        {hit.pilot.reason ? <div>{hit.pilot.reason}</div> : null}
      </>
    );
  return (
    <div role="tooltip" className="panel" style={{ position: "absolute", left: Math.min(x + 12, 2000), top: y + 40, pointerEvents: "none", fontSize: 12, padding: "0.4rem 0.6rem", zIndex: 5, maxWidth: 360 }}>
      {body}
    </div>
  );
}
