import { AXIS_H, LABEL_W, PILOT_ROW, layoutBands, tickStep, totalHeight, xOf, type View } from "./geometry";
import type { GanttModel } from "./model";
import { countOf, pilotCaption, secondsText, truncate, waitNote } from "./text";
import { barRuns, laneIndex } from "./aggregate";
import {
  THEMES,
  pilotStateColor,
  stageColor,
  taskStateColor,
  type StateColor,
  type ThemeName,
} from "./theme";

/**
 * The run's timeline as a standalone SVG document: the same layout as the canvas on the run page
 * (lib/timeline/geometry), with a title, the legend, and the colours of the chosen theme written
 * in (no CSS variables), so the file reads the same in a paper, a browser or the PNG rasteriser.
 * Pure: a string from the model, no DOM.
 */
export interface SvgOptions {
  /** the end of the time axis for a run still going (ms); default: the latest time in the model */
  now?: number;
  width?: number;
  theme?: ThemeName;
  colorBy?: "stage" | "state";
  title?: string;
}

const TITLE_H = 34;
const FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function latest(m: GanttModel): number {
  let t = m.t0;
  for (const p of m.pilots) for (const s of p.segments) t = Math.max(t, s.start, s.end ?? s.start);
  for (const k of m.tasks) t = Math.max(t, k.end ?? k.start);
  return t;
}

export function timelineSvg(m: GanttModel, opts: SvgOptions = {}): string {
  const th = THEMES[opts.theme ?? "light"];
  const width = Math.max(480, Math.round(opts.width ?? 1200));
  const now = opts.now ?? latest(m);
  const colorBy = opts.colorBy ?? "stage";
  const view: View = { from: 0, to: Math.max(10, (now - m.t0) / 1000 + 1) };
  const bands = layoutBands(m);
  const chartH = totalHeight(bands);
  const leg = legend(m, th, width);
  const height = TITLE_H + chartH + leg.height + 8;
  const x = (t: number) => xOf(t, m.t0, view, width);
  const clip = (v: number) => Math.min(Math.max(v, LABEL_W), width);
  const title = opts.title ?? "Run timeline";
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="tl-title tl-desc" font-family="${FONT}" font-size="12">`,
    `<title id="tl-title">${escapeXml(title)}</title>`,
    `<desc id="tl-desc">${escapeXml(`${countOf(m.pilots.length, "pilot")} and ${countOf(m.tasks.length, "task execution")} over ${Math.round(view.to)} s. ${m.pilots.map((p) => `${p.label}: ${pilotCaption(p)}`).join("; ")}`)}</desc>`,
    `<defs><pattern id="waiting" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${th.queued}" opacity="0.25"/><rect width="2" height="6" fill="${th.queued}" opacity="0.8"/></pattern></defs>`,
    `<rect width="100%" height="100%" fill="${th.bg}"/>`,
    `<text x="8" y="22" font-size="15" font-weight="bold" fill="${th.text}">${escapeXml(title)}</text>`,
    `<g transform="translate(0 ${TITLE_H})">`,
  );
  // time axis and grid
  const step = tickStep(view.to - view.from);
  for (let s = 0; s <= view.to; s += step) {
    const gx = x(m.t0 + s * 1000);
    out.push(
      `<line x1="${f(gx)}" y1="${AXIS_H - 4}" x2="${f(gx)}" y2="${chartH}" stroke="${th.border}"/><text x="${f(gx + 2)}" y="14" fill="${th.muted}">${Math.round(s)} s</text>`,
    );
  }
  for (const b of bands) {
    const p = b.pilot;
    const caption = pilotCaption(p);
    const capColor = p.finalState === "FAILED" ? th.failed : th.muted;
    out.push(
      `<g data-pilot="${escapeXml(p.id)}"><text x="4" y="${b.y + 14}" fill="${th.text}">${escapeXml(truncate(p.label, 30))}</text>`,
    );
    out.push(
      `<text x="4" y="${b.y + PILOT_ROW + 10}" fill="${capColor}" font-size="11">${escapeXml(truncate(caption, 32))}</text>`,
    );
    for (const s of p.segments) {
      const x0 = clip(x(s.start));
      const x1 = clip(x(s.end ?? now));
      if (x1 <= x0) continue;
      const active = s.state === "PMGR_ACTIVE";
      out.push(
        `<rect x="${f(x0)}" y="${b.y + 4}" width="${f(Math.max(1, x1 - x0))}" height="${PILOT_ROW - 8}" fill="${active ? th.active : "url(#waiting)"}" opacity="${active ? 0.85 : 1}"><title>${escapeXml(`${p.label} ${s.state} from ${secondsText(s.start - m.t0)}`)}</title></rect>`,
      );
    }
    const last = p.segments[p.segments.length - 1];
    if (p.finalState && last?.end) {
      // the end of a pilot: a bar in its outcome's colour, so a FAILED pilot reads as failed at a glance
      out.push(
        `<rect x="${f(clip(x(last.end)) - 3)}" y="${b.y + 2}" width="4" height="${PILOT_ROW - 4}" fill="${th[pilotStateColor(p.finalState)]}"/>`,
      );
    }
    const note = waitNote(p);
    if (note)
      out.push(
        `<text x="${LABEL_W + 6}" y="${b.y + PILOT_ROW + 11}" fill="${p.finalState === "FAILED" ? th.failed : th.muted}" font-size="11">${escapeXml(truncate(note, Math.floor((width - LABEL_W) / 6.5)))}</text>`,
      );
    out.push(`</g>`);
  }
  const bandOf = new Map(bands.map((b) => [b.pilot.id, b]));
  out.push(`<g data-layer="tasks">`);
  // bars narrower than MIN_PX merged per lane, as on the canvas (./aggregate.ts): one <rect> per run
  const byStage = colorBy === "stage";
  for (const r of barRuns(m, laneIndex(m), view, width, now, (t) =>
    byStage ? t.stage : taskStateColor(t.state),
  )) {
    const b = bandOf.get(r.pilotId);
    if (!b) continue;
    const x0 = clip(r.x0);
    const x1 = clip(r.x1);
    const lane = Math.min(r.lane, b.lanes - 1);
    const fill = byStage ? stageColor(m.stages, r.key) : th[r.key as StateColor];
    const opacity = r.count > 1 ? ` fill-opacity="${Math.max(0.35, r.busy).toFixed(2)}"` : "";
    out.push(
      `<rect x="${f(x0)}" y="${b.y + PILOT_ROW + lane * b.lane}" width="${f(Math.max(1, x1 - x0 - 0.5))}" height="${Math.min(r.width, b.lanes - lane) * b.lane - 1}" fill="${fill}"${opacity}${r.flagged ? ` stroke="${th.failed}"` : ""}/>`,
    );
  }
  out.push(`</g>`);
  const xn = x(now);
  if (m.pilots.some((p) => !p.finalState) && xn > LABEL_W && xn < width)
    out.push(
      `<line x1="${f(xn)}" y1="${AXIS_H}" x2="${f(xn)}" y2="${chartH}" stroke="${th.accent}" stroke-dasharray="4 3"/>`,
    );
  out.push(`</g>`, `<g transform="translate(0 ${TITLE_H + chartH + 4})">${leg.svg}</g>`, `</svg>`);
  return out.join("\n") + "\n";
}

/** The key, wrapped into rows to fit the width; its height so the document can be sized around it. */
function legend(
  m: GanttModel,
  th: (typeof THEMES)[ThemeName],
  width: number,
): { svg: string; height: number } {
  const items: [string, string][] = [
    ["url(#waiting)", "pilot waiting (queued / never active)"],
    [th.active, "pilot active"],
    [th.done, "ended: done"],
    [th.failed, "ended: failed / retried task (outline)"],
    [th.canceled, "ended: cancelled"],
    ...m.stages.map((s): [string, string] => [stageColor(m.stages, s), s]),
  ];
  const parts: string[] = [`<g data-layer="legend" font-size="11">`];
  let lx = 8;
  let ly = 0;
  for (const [fill, text] of items) {
    const w = 18 + text.length * 6.4;
    if (lx + w > width - 8) {
      lx = 8;
      ly += 18;
    }
    parts.push(
      `<rect x="${lx}" y="${ly}" width="12" height="12" fill="${fill}"/><text x="${lx + 16}" y="${ly + 10}" fill="${th.text}">${escapeXml(text)}</text>`,
    );
    lx += w + 10;
  }
  parts.push(`</g>`);
  return { svg: parts.join(""), height: ly + 18 };
}
