import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { countsByStage, emptyView, foldEvents } from "./fold";

let seq = 0;
const ev = (
  entity: RunEvent["entity"],
  entityId: string,
  to: string,
  at: number,
  data: Record<string, unknown> | null = null,
  reason: string | null = null,
): RunEvent => ({ seq: ++seq, runId: "r", entity, entityId, from: null, to, at, reason, data });

const log: RunEvent[] = [
  ev("run", "r", "NEW", 0),
  ev("pilot", "p1", "NEW", 0, { label: "local", cores: 2 }),
  ev("pilot", "p2", "NEW", 0, { label: "gordon", cores: 2 }),
  ev("task", "Stage_1_0", "NEW", 0, { stage: "Stage_1", cores: 1, attempt: 0 }),
  ev("pilot", "p1", "PMGR_ACTIVE_PENDING", 1000),
  ev("pilot", "p1", "PMGR_ACTIVE", 3000),
  ev("task", "Stage_1_0", "TMGR_SCHEDULING_PENDING", 1000),
  ev("task", "Stage_1_0", "TMGR_SCHEDULING", 3100, { pilotId: "p1" }),
  ev("task", "Stage_1_0", "AGENT_EXECUTING", 3200, { pilotId: "p1", attempt: 0, slots: [1] }),
  ev("pilot", "p1", "FAILED", 5000, null, "node crashed"),
  ev(
    "task",
    "Stage_1_0",
    "TMGR_SCHEDULING_PENDING",
    5100,
    { attempt: 1, fromPilotId: "p1" },
    "retry: pilot p1 ended FAILED",
  ),
  ev("task", "Stage_1_0", "TMGR_SCHEDULING", 6000, { pilotId: "p2", attempt: 1 }),
  ev("task", "Stage_1_0", "AGENT_EXECUTING", 6100, { pilotId: "p2", attempt: 1, slots: [0] }),
  ev("task", "Stage_1_0", "AGENT_STAGING_OUTPUT", 9100, { pilotId: "p2", attempt: 1, exitCode: 0 }),
  ev("task", "Stage_1_0", "AGENT_EXECUTING", 6100, { pilotId: "p2", attempt: 1, slots: [0] }), // duplicate, late
  ev("task", "Stage_1_0", "DONE", 9500, { attempt: 1 }),
];

describe("event fold", () => {
  it("draws pilot segments, keeps a retried task's two spans, and ignores a late duplicate", () => {
    const v = foldEvents(emptyView(), log);
    const p1 = v.pilots.get("p1")!;
    expect(p1.segments).toEqual([
      { state: "NEW", start: 0, end: 1000 },
      { state: "PMGR_ACTIVE_PENDING", start: 1000, end: 3000 },
      { state: "PMGR_ACTIVE", start: 3000, end: 5000 },
    ]);
    expect([p1.state, p1.reason]).toEqual(["FAILED", "node crashed"]);
    expect(v.pilots.get("p2")!.state).toBe("NEW");
    const t = v.tasks.get("Stage_1_0")!;
    expect([t.state, t.attempt, t.pilotId]).toEqual(["DONE", 1, "p2"]);
    expect(t.spans).toEqual([
      { pilotId: "p1", attempt: 0, slots: [1], start: 3200, end: 5100, exitCode: null },
      { pilotId: "p2", attempt: 1, slots: [0], start: 6100, end: 9100, exitCode: 0 },
    ]);
    expect(countsByStage(v).get("Stage_1")).toEqual({
      waiting: 0,
      scheduling: 0,
      staging: 0,
      running: 0,
      done: 1,
      failed: 0,
    });
  });
  it("folding in two halves gives the same picture as folding at once", () => {
    const a = foldEvents(emptyView(), log);
    const b = foldEvents(foldEvents(emptyView(), log.slice(0, 7)), log.slice(7));
    expect([...b.tasks.values()]).toEqual([...a.tasks.values()]);
    expect([...b.pilots.values()]).toEqual([...a.pilots.values()]);
  });
});
