"use client";
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type WheelEvent,
} from "react";
import {
  LABEL_W,
  PILOT_ROW,
  hitTest,
  layoutBands,
  pan,
  totalHeight,
  xOf,
  zoom,
  type Hit,
  type View,
} from "@/lib/timeline/geometry";
import { laneIndex } from "@/lib/timeline/aggregate";
import type { GanttModel } from "@/lib/timeline/model";
import { readTheme } from "./colors";
import { describePilot, describeTask } from "./describe";
import { drawTimeline } from "./draw";
import { useThemeVersion } from "./use-theme-version";

/**
 * The pilot + task timeline on one canvas: thousands of bars stay smooth where an SVG of as many
 * nodes would not. One band per pilot: a header bar with its states, then one lane per core slot
 * with the tasks it ran. Mouse: wheel zooms, drag pans, hover shows details, click opens a task.
 * Keyboard (focus the timeline): +/- zoom, ←/→ pan, 0 resets, ↑/↓ pick a pilot, [ and ] step
 * through its tasks, Enter opens the task, Escape leaves; the focused item is read out.
 */
interface Props {
  model: GanttModel;
  now: number;
  colorBy?: "stage" | "state";
  onSelectTask?: (taskId: string) => void;
}

interface Cursor {
  pilot: number;
  /** index into model.tasks, or null for the pilot itself */
  task: number | null;
}

export function GanttCanvas({ model, now, colorBy = "stage", onSelectTask }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(900);
  const themeVersion = useThemeVersion();
  const bands = useMemo(() => layoutBands(model), [model]);
  const index = useMemo(() => laneIndex(model), [model]);
  const height = totalHeight(bands);
  const bounds = useMemo<View>(
    () => ({ from: 0, to: Math.max(10, (now - model.t0) / 1000 + 1) }),
    [now, model.t0],
  );
  const [view, setView] = useState<View | null>(null);
  const v = view ?? bounds;
  const [hover, setHover] = useState<{ hit: Hit; x: number; y: number } | null>(null);
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const drag = useRef<{ x: number; view: View; moved: boolean } | null>(null);
  const labels = useMemo(() => new Map(model.pilots.map((p) => [p.id, p.label])), [model.pilots]);
  // each pilot's tasks in start order, for stepping through them with the keyboard: sorted only
  // once the keyboard is used (sorting 100,000 bars would hold up the first paint of a big run)
  const stepping = cursor !== null;
  const byPilot = useMemo(() => {
    const m = new Map<string, number[]>();
    if (!stepping) return m;
    model.tasks.forEach((t, i) => (m.get(t.pilotId) ?? m.set(t.pilotId, []).get(t.pilotId)!).push(i));
    for (const xs of m.values()) xs.sort((a, b) => model.tasks[a]!.start - model.tasks[b]!.start);
    return m;
  }, [model.tasks, stepping]);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(480, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const draw = useCallback(() => {
    const c = canvas.current;
    if (!c) return;
    const t = performance.now();
    const dpr = window.devicePixelRatio || 1;
    // assigning the size reallocates the backing store even when it is unchanged (a 1400 × 3800
    // canvas: ~20 MB, tens of ms); drawTimeline clears it anyway
    if (c.width !== Math.floor(width * dpr)) c.width = Math.floor(width * dpr);
    if (c.height !== Math.floor(height * dpr)) c.height = Math.floor(height * dpr);
    const g = c.getContext("2d");
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const pilot = cursor ? bands[cursor.pilot]?.pilot : undefined;
    drawTimeline(g, {
      model,
      bands,
      view: v,
      width,
      height,
      now,
      colorBy,
      theme: readTheme(c),
      focus: pilot ? { pilotId: pilot.id, taskIndex: cursor?.task ?? null } : null,
      index,
    });
    // Marks for the dashboard benchmark (scripts/bench/dashboard.ts): the first paint with data,
    // and the latest paint with how many bars it drew and how long drawing took.
    if (model.pilots.length > 0) {
      const detail = {
        tasks: model.tasks.length,
        pilots: model.pilots.length,
        drawMs: performance.now() - t,
        theme: themeVersion,
      };
      if (performance.getEntriesByName("gantt-first-paint").length === 0)
        performance.mark("gantt-first-paint", { detail });
      performance.clearMarks("gantt-paint");
      performance.mark("gantt-paint", { detail });
    }
  }, [bands, colorBy, cursor, height, model, now, v, width, themeVersion, index]);

  useEffect(draw, [draw]);

  const cursorHit: Hit = useMemo(() => {
    if (!cursor) return null;
    const b = bands[cursor.pilot];
    if (!b) return null;
    const t = cursor.task !== null ? model.tasks[cursor.task] : undefined;
    return t ? { kind: "task", task: t } : { kind: "pilot", pilot: b.pilot };
  }, [bands, cursor, model.tasks]);
  const cursorPos = useMemo(() => {
    if (!cursor || !cursorHit) return null;
    const b = bands[cursor.pilot]!;
    if (cursorHit.kind === "task")
      return {
        x: Math.max(LABEL_W, xOf(cursorHit.task.start, model.t0, v, width)),
        y: b.y + PILOT_ROW + cursorHit.task.lane * b.lane,
      };
    return { x: LABEL_W, y: b.y };
  }, [bands, cursor, cursorHit, model.t0, v, width]);

  const describe = (h: NonNullable<Hit>) =>
    h.kind === "task"
      ? describeTask(h.task, model.t0, now, labels.get(h.task.pilotId) ?? h.task.pilotId)
      : describePilot(h.pilot, model.t0);

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
      if (Math.abs(drag.current.x - x) > 3) drag.current.moved = true;
      setView(pan(drag.current.view, dx, bounds));
      return;
    }
    setHover({ hit: hitTest(x, y, model, bands, v, width, now), x, y });
  };
  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    if (drag.current?.moved) return;
    const r = e.currentTarget.getBoundingClientRect();
    const h = hitTest(e.clientX - r.left, e.clientY - r.top, model, bands, v, width, now);
    if (h?.kind === "task") onSelectTask?.(h.task.taskId);
  };
  const stepTask = (dir: 1 | -1) => {
    const c = cursor ?? { pilot: 0, task: null };
    const pid = bands[c.pilot]?.pilot.id ?? "";
    // before the first step the index is not built yet: this pilot's tasks are sorted here once
    const ids =
      byPilot.get(pid) ??
      model.tasks
        .flatMap((t, i) => (t.pilotId === pid ? [i] : []))
        .sort((a, b) => model.tasks[a]!.start - model.tasks[b]!.start);
    if (ids.length === 0) return setCursor(c);
    const at = c.task === null ? (dir === 1 ? -1 : ids.length) : ids.indexOf(c.task);
    const next = ids[Math.min(Math.max(at + dir, 0), ids.length - 1)]!;
    setCursor({ pilot: c.pilot, task: next });
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const span = v.to - v.from;
    const mid = LABEL_W + (width - LABEL_W) / 2;
    const k = e.key;
    if (k === "+" || k === "=") setView(zoom(v, 0.8, mid, width, bounds));
    else if (k === "-") setView(zoom(v, 1.25, mid, width, bounds));
    else if (k === "ArrowLeft") setView(pan(v, -span * 0.1, bounds));
    else if (k === "ArrowRight") setView(pan(v, span * 0.1, bounds));
    else if (k === "0") setView(null);
    else if (k === "ArrowDown" || k === "ArrowUp") {
      if (bands.length === 0) return;
      const d = k === "ArrowDown" ? 1 : -1;
      setCursor((c) => ({ pilot: c ? Math.min(Math.max(c.pilot + d, 0), bands.length - 1) : 0, task: null }));
    } else if (k === "]" || k === "n") stepTask(1);
    else if (k === "[" || k === "p") stepTask(-1);
    else if (k === "Enter" && cursorHit?.kind === "task") onSelectTask?.(cursorHit.task.taskId);
    else if (k === "Escape") setCursor(null);
    else return;
    e.preventDefault();
  };

  const tip = hover?.hit
    ? { hit: hover.hit, x: hover.x, y: hover.y }
    : cursorHit && cursorPos
      ? { hit: cursorHit, ...cursorPos }
      : null;
  return (
    <div ref={wrap} style={{ position: "relative", width: "100%" }}>
      <div className="row" style={{ marginBottom: 6 }}>
        <button
          className="btn"
          type="button"
          onClick={() => setView(zoom(v, 0.8, LABEL_W + (width - LABEL_W) / 2, width, bounds))}
          aria-label="Zoom in"
        >
          +
        </button>
        <button
          className="btn"
          type="button"
          onClick={() => setView(zoom(v, 1.25, LABEL_W + (width - LABEL_W) / 2, width, bounds))}
          aria-label="Zoom out"
        >
          −
        </button>
        <button className="btn" type="button" onClick={() => setView(null)}>
          Reset view
        </button>
        <span className="muted" id="gantt-help">
          {v.from.toFixed(0)}–{v.to.toFixed(0)} s since start · wheel or +/− to zoom, drag or ←/→ to pan, ↑/↓
          and [ ] to step through pilots and tasks, Enter to open a task
        </span>
      </div>
      {/* on a narrow screen the timeline keeps a readable width and scrolls in its own box */}
      <div className="scroll-x" data-scroll>
        <canvas
          ref={canvas}
          data-testid="gantt-canvas"
          data-tasks={model.tasks.length}
          data-pilots={model.pilots.length}
          tabIndex={0}
          role="img"
          aria-describedby="gantt-help"
          aria-label={`Timeline of ${model.pilots.length} pilots and ${model.tasks.length} task executions`}
          style={{ width, height, display: "block", cursor: "crosshair" }}
          onWheel={onWheel}
          onMouseMove={onMove}
          onMouseLeave={() => {
            setHover(null);
            drag.current = null;
          }}
          onMouseDown={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            drag.current = { x: e.clientX - r.left, view: v, moved: false };
          }}
          onMouseUp={(e) => {
            onClick(e);
            drag.current = null;
          }}
          onKeyDown={onKey}
          onBlur={() => setCursor(null)}
        />
      </div>
      <p className="sr-only" aria-live="polite" data-testid="gantt-focus">
        {cursorHit ? describe(cursorHit).join(". ") : ""}
      </p>
      {tip ? <Tooltip lines={describe(tip.hit)} x={tip.x} y={tip.y} width={width} /> : null}
    </div>
  );
}

function Tooltip({ lines, x, y, width }: { lines: string[]; x: number; y: number; width: number }) {
  return (
    <div
      role="tooltip"
      data-testid="gantt-tooltip"
      className="panel gantt-tip"
      style={{ left: Math.min(x + 12, Math.max(0, width - 360)), top: y + 40 }}
    >
      <strong>{lines[0]}</strong>
      {lines.slice(1).map((l, i) => (
        <div key={i}>{l}</div>
      ))}
    </div>
  );
}
