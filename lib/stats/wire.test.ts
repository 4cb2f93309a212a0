import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { emptyView, foldEvents } from "./fold";
import { decodeEvents, encodeEvents, type EventRowLike } from "./wire";

const events: RunEvent[] = [
  {
    seq: 3,
    runId: "run1",
    entity: "run",
    entityId: "run1",
    from: null,
    to: "NEW",
    at: 1_700_000_000_000,
    reason: null,
    data: null,
  },
  {
    seq: 4,
    runId: "run1",
    entity: "pilot",
    entityId: "p1",
    from: null,
    to: "NEW",
    at: 1_700_000_000_000,
    reason: null,
    data: { label: "local", cores: 2 },
  },
  {
    seq: 7,
    runId: "run1",
    entity: "task",
    entityId: "Stage_1_0",
    from: null,
    to: "NEW",
    at: 1_700_000_000_500,
    reason: null,
    data: { stage: "Stage_1", cores: 1, attempt: 0 },
  },
  {
    seq: 8,
    runId: "run1",
    entity: "task",
    entityId: "Stage_1_0",
    from: "NEW",
    to: "AGENT_EXECUTING",
    at: 1_700_000_001_000,
    reason: null,
    data: { pilotId: "p1", attempt: 0, slots: [1] },
  },
  // times need not increase with seq (differences go negative)
  {
    seq: 9,
    runId: "run1",
    entity: "task",
    entityId: "Stage_1_1",
    from: null,
    to: "NEW",
    at: 1_699_999_999_000,
    reason: "late, out of order",
    data: { stage: "Stage_1", cores: 1, attempt: 0 },
  },
  {
    seq: 12,
    runId: "run1",
    entity: "task",
    entityId: "Stage_1_0",
    from: "AGENT_EXECUTING",
    to: "FAILED",
    at: 1_700_000_002_000,
    reason: "exit 3",
    data: { attempt: 0, exitCode: 3 },
  },
];
const rows: EventRowLike[] = events.map((e) => ({
  seq: e.seq,
  entity: e.entity,
  entityId: e.entityId,
  from: e.from,
  to: e.to,
  at: e.at,
  reason: e.reason,
  data: e.data ? JSON.stringify(e.data) : null,
}));

describe("the backlog's wire form", () => {
  it("round-trips through JSON to the same events, and folds to the same view", () => {
    const wire = JSON.stringify(encodeEvents("run1", rows, true));
    const back = decodeEvents(JSON.parse(wire));
    expect(back).toEqual({ ok: true, done: true, events });
    if (!back.ok) return;
    expect(foldEvents(emptyView(), back.events)).toEqual(foldEvents(emptyView(), events));
  });

  it("sends each distinct data object once, and shares it frozen", () => {
    const c = encodeEvents("run1", rows, false);
    expect(c.data).toHaveLength(4);
    const back = decodeEvents(JSON.parse(JSON.stringify(c)));
    if (!back.ok) throw new Error(back.error);
    expect(back.done).toBe(false);
    expect(back.events[2]!.data).toBe(back.events[4]!.data);
    expect(Object.isFrozen(back.events[2]!.data)).toBe(true);
  });

  it("is far smaller than the events as JSON objects", () => {
    const many: EventRowLike[] = Array.from({ length: 6000 }, (_, i) => ({
      seq: i + 1,
      entity: "task",
      entityId: `Stage_1_${Math.floor(i / 6)}`,
      from: null,
      to: [
        "NEW",
        "TMGR_SCHEDULING_PENDING",
        "TMGR_SCHEDULING",
        "AGENT_EXECUTING",
        "AGENT_STAGING_OUTPUT",
        "DONE",
      ][i % 6]!,
      at: 1_700_000_000_000 + i * 10,
      reason: null,
      data: JSON.stringify({ attempt: 0 }),
    }));
    const plain = JSON.stringify(
      many.map((r) => ({
        ...r,
        runId: "cmabcdefghijklmnopqrstuvw",
        data: r.data ? (JSON.parse(r.data) as unknown) : null,
      })),
    );
    expect(JSON.stringify(encodeEvents("cmabcdefghijklmnopqrstuvw", many, true)).length).toBeLessThan(
      plain.length / 4,
    );
  });

  it("refuses a malformed chunk instead of making up events", () => {
    const c = encodeEvents("run1", rows, true);
    expect(decodeEvents({ ...c, to: c.to.slice(1) })).toMatchObject({ ok: false });
    expect(decodeEvents({ ...c, to: c.to.map(() => 99) })).toMatchObject({
      ok: false,
      error: expect.stringContaining("out of range"),
    });
    expect(decodeEvents({ ...c, entity: "x".repeat(c.entity.length) })).toMatchObject({ ok: false });
    expect(decodeEvents(null)).toMatchObject({ ok: false });
  });
});
