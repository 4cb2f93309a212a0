import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { emptyView, foldEvents, foldRows, tupleEvent, type EventTuple } from "./fold";
import { decodeSnapshot, encodeSnapshot } from "./snapshot";

let seq = 0;
const ev = (
  entity: RunEvent["entity"],
  entityId: string,
  to: string,
  at: number,
  data: Record<string, unknown> | null = null,
  reason: string | null = null,
): RunEvent => ({ seq: ++seq, runId: "r", entity, entityId, from: null, to, at, reason, data });

/** A run with a pilot that dies under a running task (a retry elsewhere), a failure and many plain tasks. */
function log(): RunEvent[] {
  seq = 0;
  const T = 1_700_000_000_000;
  const out = [
    ev("run", "r", "NEW", T),
    ev("pilot", "p1", "NEW", T, { label: "local", cores: 2, queue: null }),
    ev("pilot", "p2", "NEW", T, { label: "gordon", cores: 4, queue: "normal" }),
    ev("pilot", "p1", "PMGR_ACTIVE_PENDING", T + 1000),
    ev("pilot", "p2", "PMGR_ACTIVE_PENDING", T + 1000),
    ev("pilot", "p1", "PMGR_ACTIVE", T + 3000),
    ev("pilot", "p2", "PMGR_ACTIVE", T + 4000),
    ev("task", "Stage_1_0", "NEW", T, { stage: "Stage_1", cores: 1, attempt: 0 }),
    ev("task", "Stage_1_0", "TMGR_SCHEDULING_PENDING", T + 1000),
    ev("task", "Stage_1_0", "TMGR_SCHEDULING", T + 3100, { pilotId: "p1" }),
    ev("task", "Stage_1_0", "AGENT_EXECUTING", T + 3200, { pilotId: "p1", attempt: 0, slots: [1] }),
    ev("pilot", "p1", "FAILED", T + 5000, null, "node crashed"),
    ev("task", "Stage_1_0", "TMGR_SCHEDULING_PENDING", T + 5100, { attempt: 1, fromPilotId: "p1" }, "retry"),
    ev("task", "Stage_1_0", "TMGR_SCHEDULING", T + 6000, { pilotId: "p2", attempt: 1 }),
    ev("task", "Stage_1_0", "AGENT_EXECUTING", T + 6100, { pilotId: "p2", attempt: 1, slots: [0, 1] }),
    ev("task", "Stage_1_0", "AGENT_STAGING_OUTPUT", T + 9100, { pilotId: "p2", attempt: 1, exitCode: 0 }),
    ev("task", "Stage_1_0", "DONE", T + 9500, { attempt: 1 }),
  ];
  for (let i = 1; i < 300; i++) {
    const id = `Stage_2_${i}`;
    const s = T + 4000 + i * 100;
    out.push(
      ev("task", id, "NEW", T, { stage: "Stage_2", cores: 1, attempt: 0 }),
      ev("task", id, "TMGR_SCHEDULING", s - 50, { pilotId: "p2", attempt: 0 }),
      ev("task", id, "AGENT_EXECUTING", s, { pilotId: "p2", attempt: 0, slots: [i % 4], stage: "Stage_2" }),
    );
    // one still running, one FAILED with its code
    if (i === 299) continue;
    out.push(
      ev("task", id, "AGENT_STAGING_OUTPUT", s + 80, {
        pilotId: "p2",
        attempt: 0,
        exitCode: i === 7 ? 2 : 0,
      }),
    );
    out.push(
      i === 7
        ? ev("task", id, "FAILED", s + 90, { pilotId: "p2" }, "exit 2")
        : ev("task", id, "DONE", s + 90),
    );
  }
  return out;
}

describe("the run page's snapshot (the run folded on the server)", () => {
  it("decodes to the very view folding the events gives, through JSON", () => {
    const events = log();
    const view = foldEvents(emptyView(), events);
    const text = JSON.stringify(encodeSnapshot("r", view, events.at(-1)!.seq, events.slice(-5)));
    const back = decodeSnapshot(JSON.parse(text));
    if (!back.ok) throw new Error(back.error);
    expect(back.view).toEqual(foldEvents(emptyView(), events));
    expect(back.lastSeq).toBe(events.at(-1)!.seq);
    expect(back.tail).toEqual(events.slice(-5));
  });

  it("is smaller than the log it replaces, and folding on from it gives the same as folding everything", () => {
    const events = log();
    const head = events.slice(0, 500);
    const snap = encodeSnapshot("r", foldEvents(emptyView(), head), head.at(-1)!.seq, []);
    expect(JSON.stringify(snap).length).toBeLessThan(JSON.stringify(head).length / 3);
    const back = decodeSnapshot(JSON.parse(JSON.stringify(snap)));
    if (!back.ok) throw new Error(back.error);
    expect(foldEvents(back.view, events.slice(500))).toEqual(foldEvents(emptyView(), events));
  });

  it("refuses a snapshot whose columns do not add up, or whose indices point nowhere", () => {
    const events = log();
    const snap = encodeSnapshot("r", foldEvents(emptyView(), events), 1, []);
    expect(decodeSnapshot({ ...snap, hs: snap.hs.slice(1) })).toMatchObject({ ok: false });
    expect(decodeSnapshot({ ...snap, state: snap.state.map(() => 9999) })).toMatchObject({ ok: false });
    expect(decodeSnapshot({ ...snap, stage: snap.stage.map(() => 5) })).toMatchObject({ ok: false });
    expect(decodeSnapshot({ ...snap, ha: snap.ha.map(() => "x") })).toMatchObject({ ok: false });
    expect(decodeSnapshot(null)).toMatchObject({ ok: false });
  });
});

describe("foldRows (rows as the database holds them)", () => {
  it("folds to the same view as foldEvents, parsing each distinct data text once", () => {
    const events = log();
    const rows = events.map((e): EventTuple => [
      e.seq,
      e.entity,
      e.entityId,
      e.from,
      e.to,
      e.at,
      e.reason,
      e.data === null ? null : JSON.stringify(e.data),
    ]);
    const texts = new Map<string, Record<string, unknown>>();
    const view = foldRows(emptyView(), "r", rows.slice(0, 100), texts);
    foldRows(view, "r", rows.slice(100), texts);
    expect(view).toEqual(foldEvents(emptyView(), events));
    expect(texts.size).toBe(new Set(rows.map((r) => r[7]).filter((d) => d !== null)).size);
    expect(rows.map((r) => tupleEvent("r", r, texts))).toEqual(events);
  });
});
