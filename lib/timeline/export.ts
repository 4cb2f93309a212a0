import type { RunEvent } from "../model/event";
import { emptyView, foldEvents, type RunView } from "../stats/fold";
import { toTimeline } from "./build";
import { countOf } from "./text";
import { timelineSvg } from "./svg";
import type { ThemeName } from "./theme";

/** A finished (or running) run's event log → its timeline as an SVG document, as the downloads and the archive serve it. */
export function runTimelineSvg(
  run: { name: string; state: string; events: readonly RunEvent[] },
  opts: { theme?: ThemeName; width?: number; now?: number } = {},
  /** the run's log already folded, when the caller has it */
  view: RunView = foldEvents(emptyView(), run.events),
): string {
  const final = ["DONE", "FAILED", "CANCELED"].includes(view.runState);
  const now = final ? (view.lastAt ?? 0) : (opts.now ?? Date.now());
  const model = toTimeline(view, new Map(), now);
  return timelineSvg(model, {
    now,
    theme: opts.theme,
    width: opts.width,
    title: `${run.name} · ${view.runState} · ${countOf(view.tasks.size, "task")} on ${countOf(view.pilots.size, "pilot")}`,
  });
}
