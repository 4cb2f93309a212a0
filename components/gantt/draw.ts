import {
  AXIS_H,
  LABEL_W,
  PILOT_ROW,
  tickStep,
  xOf,
  type PilotBand,
  type View,
} from "@/lib/timeline/geometry";
import type { GanttModel } from "@/lib/timeline/model";
import { pilotCaption, waitNote } from "@/lib/timeline/text";
import { barRuns, laneIndex, type LaneIndex } from "@/lib/timeline/aggregate";
import {
  pilotStateColor,
  stageColor,
  taskStateColor,
  type StateColor,
  type TimelineTheme,
} from "@/lib/timeline/theme";

/**
 * Paints the timeline on a 2D canvas: the same picture as lib/timeline/svg.ts (layout from
 * lib/timeline/geometry), kept apart from the React component so the component stays about
 * events and state. `focus` outlines the item the keyboard cursor is on.
 */
export interface DrawArgs {
  model: GanttModel;
  bands: readonly PilotBand[];
  view: View;
  width: number;
  height: number;
  now: number;
  colorBy: "stage" | "state";
  theme: TimelineTheme;
  focus: { pilotId: string; taskIndex: number | null } | null;
  /** the model's tasks per lane (lib/timeline/aggregate.ts), computed once per model by the caller */
  index?: LaneIndex;
}

function hatch(g: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  const c = document.createElement("canvas");
  c.width = 6;
  c.height = 6;
  const h = c.getContext("2d");
  if (!h) return color;
  h.globalAlpha = 0.3;
  h.fillStyle = color;
  h.fillRect(0, 0, 6, 6);
  h.globalAlpha = 0.9;
  h.strokeStyle = color;
  h.lineWidth = 1.5;
  h.beginPath();
  h.moveTo(0, 6);
  h.lineTo(6, 0);
  h.stroke();
  return g.createPattern(c, "repeat") ?? color;
}

export function drawTimeline(g: CanvasRenderingContext2D, a: DrawArgs): void {
  const { model, bands, view: v, width, height, now, theme: th } = a;
  g.clearRect(0, 0, width, height);
  g.font = "12px system-ui, sans-serif";
  const step = tickStep(v.to - v.from);
  g.fillStyle = th.muted;
  g.strokeStyle = th.border;
  g.lineWidth = 1;
  for (let s = Math.ceil(v.from / step) * step; s <= v.to; s += step) {
    const x = xOf(model.t0 + s * 1000, model.t0, v, width);
    g.beginPath();
    g.moveTo(x, AXIS_H - 4);
    g.lineTo(x, height);
    g.stroke();
    g.fillText(`${Math.round(s)} s`, x + 2, 14);
  }
  const clipX = (x: number) => Math.min(Math.max(x, LABEL_W), width);
  const waiting = hatch(g, th.queued);
  for (const b of bands) {
    const p = b.pilot;
    g.fillStyle = th.text;
    g.fillText(p.label, 4, b.y + 14, LABEL_W - 8);
    g.fillStyle = p.finalState === "FAILED" ? th.failed : th.muted;
    g.fillText(pilotCaption(p), 4, b.y + PILOT_ROW + 10, LABEL_W - 8);
    for (const seg of p.segments) {
      const x0 = clipX(xOf(seg.start, model.t0, v, width));
      const x1 = clipX(xOf(seg.end ?? now, model.t0, v, width));
      if (x1 <= x0) continue;
      const active = seg.state === "PMGR_ACTIVE";
      g.fillStyle = active ? th.active : waiting;
      g.globalAlpha = active ? 0.85 : 1;
      g.fillRect(x0, b.y + 4, Math.max(1, x1 - x0), PILOT_ROW - 8);
      g.globalAlpha = 1;
    }
    const last = p.segments[p.segments.length - 1];
    if (p.finalState && last?.end) {
      g.fillStyle = th[pilotStateColor(p.finalState)];
      g.fillRect(clipX(xOf(last.end, model.t0, v, width)) - 3, b.y + 2, 4, PILOT_ROW - 4);
    }
    const note = waitNote(p);
    if (note) {
      g.fillStyle = p.finalState === "FAILED" ? th.failed : th.muted;
      g.font = "11px system-ui, sans-serif";
      g.fillText(note, LABEL_W + 6, b.y + PILOT_ROW + 11, width - LABEL_W - 12);
      g.font = "12px system-ui, sans-serif";
    }
  }
  // bars narrower than MIN_PX are merged into runs per lane (lib/timeline/aggregate.ts): 100,000
  // sub-pixel rectangles would cost more than the rest of the page and show nothing more
  const bandOf = new Map(bands.map((b) => [b.pilot.id, b]));
  const stageFill = new Map(model.stages.map((s) => [s, stageColor(model.stages, s)]));
  const byStage = a.colorBy === "stage";
  const runs = barRuns(model, a.index ?? laneIndex(model), v, width, now, (t) =>
    byStage ? t.stage : taskStateColor(t.state),
  );
  // one path per colour and opacity: setting fillStyle parses the colour, 50,000 times is most of a draw
  const groups = new Map<string, { fill: string; alpha: number; rects: number[] }>();
  const outlined: number[] = [];
  for (const r of runs) {
    const b = bandOf.get(r.pilotId);
    if (!b) continue;
    const x0 = clipX(r.x0);
    const x1 = clipX(r.x1);
    if (x1 <= x0 && x0 >= width) continue;
    const lane = Math.min(r.lane, b.lanes - 1);
    const y = b.y + PILOT_ROW + lane * b.lane;
    const h = Math.min(r.width, b.lanes - lane) * b.lane - 1;
    // a merged run is as opaque as its tasks filled it (in steps of 5 %)
    const alpha = r.count > 1 ? Math.round(Math.max(0.35, r.busy) * 20) / 20 : 1;
    const k = `${r.key}|${alpha}`;
    let grp = groups.get(k);
    if (!grp) {
      const fill = byStage
        ? (stageFill.get(r.key) ?? stageColor(model.stages, r.key))
        : th[r.key as StateColor];
      groups.set(k, (grp = { fill, alpha, rects: [] }));
    }
    const w = Math.max(1, x1 - x0 - 0.5);
    grp.rects.push(x0, y, w, h);
    if (r.flagged) outlined.push(x0, y, w, h);
  }
  for (const { fill, alpha, rects } of groups.values()) {
    g.fillStyle = fill;
    g.globalAlpha = alpha;
    g.beginPath();
    for (let i = 0; i < rects.length; i += 4) g.rect(rects[i]!, rects[i + 1]!, rects[i + 2]!, rects[i + 3]!);
    g.fill();
  }
  g.globalAlpha = 1;
  g.strokeStyle = th.failed;
  for (let i = 0; i < outlined.length; i += 4)
    g.strokeRect(outlined[i]!, outlined[i + 1]!, outlined[i + 2]!, outlined[i + 3]!);
  if (a.focus) drawFocus(g, a, clipX);
  const xn = xOf(now, model.t0, v, width);
  if (model.pilots.some((p) => !p.finalState) && xn > LABEL_W && xn < width) {
    g.strokeStyle = th.accent;
    g.setLineDash([4, 3]);
    g.beginPath();
    g.moveTo(xn, AXIS_H);
    g.lineTo(xn, height);
    g.stroke();
    g.setLineDash([]);
  }
}

function drawFocus(g: CanvasRenderingContext2D, a: DrawArgs, clipX: (x: number) => number): void {
  const b = a.bands.find((x) => x.pilot.id === a.focus?.pilotId);
  if (!b) return;
  g.strokeStyle = a.theme.accent;
  g.lineWidth = 2;
  const t =
    a.focus?.taskIndex !== null && a.focus?.taskIndex !== undefined
      ? a.model.tasks[a.focus.taskIndex]
      : undefined;
  if (t) {
    const x0 = clipX(xOf(t.start, a.model.t0, a.view, a.width));
    const x1 = clipX(xOf(t.end ?? a.now, a.model.t0, a.view, a.width));
    const lane = Math.min(t.lane, b.lanes - 1);
    g.strokeRect(x0 - 2, b.y + PILOT_ROW + lane * b.lane - 2, Math.max(4, x1 - x0 + 3), b.lane + 3);
  } else g.strokeRect(1, b.y + 1, a.width - 2, b.height - 2);
  g.lineWidth = 1;
}
