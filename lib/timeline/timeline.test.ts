import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { emptyView, foldEvents } from "../stats/fold";
import { pilotLabel, toTimeline } from "./build";
import { runTimelineSvg } from "./export";
import { svgToPng } from "./png";
import { escapeXml, timelineSvg } from "./svg";

const T = 1_700_000_000_000;
let seq = 0;
const ev = (
  entity: RunEvent["entity"],
  entityId: string,
  to: string,
  s: number,
  data: Record<string, unknown> | null = null,
  reason: string | null = null,
): RunEvent => ({ seq: ++seq, runId: "r", entity, entityId, from: null, to, at: T + s * 1000, reason, data });

/** Two pilots; blacklight's submission is rejected; task 1 is rebound from trestles to stampede after trestles dies. */
function log(): RunEvent[] {
  seq = 0;
  return [
    ev("run", "r", "ACTIVE", 0),
    ev("pilot", "p1", "NEW", 0, { label: "stampede", queue: "stampede", cores: 4 }),
    ev("pilot", "p2", "NEW", 0, { label: "trestles", queue: "trestles", cores: 2 }),
    ev("pilot", "p3", "NEW", 0, { label: "blacklight", queue: "blacklight", cores: 4 }),
    ev("pilot", "p3", "PMGR_LAUNCHING", 1),
    ev(
      "pilot",
      "p3",
      "FAILED",
      3,
      null,
      "sbatch: error: Batch job submission failed: Required partition not available (inactive or drain)",
    ),
    ev("pilot", "p1", "PMGR_ACTIVE_PENDING", 1),
    ev("pilot", "p2", "PMGR_ACTIVE_PENDING", 1),
    ev("pilot", "p2", "PMGR_ACTIVE", 4),
    ev("pilot", "p1", "PMGR_ACTIVE", 6),
    ev("task", "Stage_1_0", "NEW", 0, { stage: "Stage_1", cores: 1 }),
    ev("task", "Stage_1_0", "TMGR_SCHEDULING_PENDING", 0),
    ev("task", "Stage_1_0", "TMGR_SCHEDULING", 4, { pilotId: "p2" }),
    ev("task", "Stage_1_0", "AGENT_EXECUTING", 5, { pilotId: "p2", slots: [1], attempt: 0 }),
    ev("pilot", "p2", "FAILED", 8, null, "walltime exceeded"),
    ev(
      "task",
      "Stage_1_0",
      "TMGR_SCHEDULING_PENDING",
      8,
      { fromPilotId: "p2", attempt: 1 },
      "pilot FAILED: walltime exceeded",
    ),
    ev("task", "Stage_1_0", "TMGR_SCHEDULING", 9, { pilotId: "p1", attempt: 1 }),
    ev("task", "Stage_1_0", "AGENT_EXECUTING", 10, { pilotId: "p1", slots: [0], attempt: 1 }),
    ev("task", "Stage_1_0", "DONE", 12, { attempt: 1 }),
    ev("pilot", "p1", "DONE", 13),
    ev("run", "r", "DONE", 13),
  ];
}

describe("timeline model", () => {
  it("names a pilot's resource once, and its queue only when the queue is named otherwise", () => {
    expect(pilotLabel({ label: "stampede", queue: "stampede", cores: 5 })).toBe("stampede (5)");
    expect(pilotLabel({ label: "local", queue: null, cores: 2 })).toBe("local (2)");
    expect(pilotLabel({ label: "cluster", queue: "debug", cores: 16 })).toBe("cluster · debug (16)");
  });

  const view = foldEvents(emptyView(), log());
  const m = toTimeline(view);
  it("draws a pilot that never became active as waiting, with its wait and final reason", () => {
    const b = m.pilots.find((p) => p.id === "p3")!;
    expect(b).toMatchObject({
      label: "blacklight (4)",
      neverActive: true,
      finalState: "FAILED",
      waited: 3000,
    });
    expect(b.reason).toContain("Required partition not available");
    expect(m.pilots.find((p) => p.id === "p1")).toMatchObject({
      neverActive: false,
      waited: 5000,
      finalState: "DONE",
    });
  });
  it("says which pilot a rebound task left and why", () => {
    const bars = m.tasks.filter((t) => t.taskId === "Stage_1_0");
    expect(bars).toHaveLength(2);
    expect(bars[0]).toMatchObject({ pilotId: "p2", state: "FAILED", lane: 1 });
    expect(bars[0]!.note).toBe("left trestles (2) at 8.0 s: pilot FAILED: walltime exceeded");
    expect(bars[1]).toMatchObject({ pilotId: "p1", state: "DONE", attempt: 1 });
    expect(bars[1]!.note).toContain("attempt 1 ran on trestles (2) and left it: pilot FAILED");
    expect(
      view.tasks.get("Stage_1_0")!.history.find((h) => h.state === "TMGR_SCHEDULING_PENDING" && h.pilotId)
        ?.pilotId,
    ).toBe("p2");
  });
});

describe("timeline SVG and PNG", () => {
  it("renders a standalone, escaped SVG with every bar, the never-active pilot's note and the legend", () => {
    const svg = runTimelineSvg({ name: "demo <&>", state: "DONE", events: log() });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain("demo &lt;&amp;&gt;");
    expect(svg).toContain("never active: FAILED");
    expect(svg).toContain("waited 3 s, then FAILED: sbatch: error");
    expect(svg).toContain("pilot waiting (queued / never active)");
    expect(svg.match(/<g data-layer="tasks">([\s\S]*?)<\/g>/)![1]!.match(/<rect /g)).toHaveLength(2);
    expect(svg).not.toContain("var(--");
  });
  it("uses the dark theme's colours when asked", () => {
    const m = toTimeline(foldEvents(emptyView(), log()));
    expect(timelineSvg(m, { theme: "dark" })).toContain('fill="#171b21"');
    expect(timelineSvg(m, { theme: "light" })).toContain('fill="#ffffff"');
  });
  it("escapes XML", () => expect(escapeXml(`a<b>&"'`)).toBe("a&lt;b&gt;&amp;&quot;&apos;"));
  it("rasterises to a PNG of the requested scale", () => {
    const svg = runTimelineSvg({ name: "r", state: "DONE", events: log() }, { width: 600 });
    const png = svgToPng(svg, { scale: 2 });
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
    const w = new DataView(png.buffer, png.byteOffset).getUint32(16);
    expect(w).toBe(1200);
  });
});
