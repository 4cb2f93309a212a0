import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/event";
import { emptyView, foldEvents } from "./fold";
import { computeStats } from "./metrics";
import { eventsJsonl, pilotsCsv, tasksCsv, timeseriesCsv, toCsv } from "./exports";

const T = 1_700_000_000_000;
let seq = 0;
const ev = (
  entity: RunEvent["entity"],
  id: string,
  to: string,
  s: number,
  data: Record<string, unknown> | null = null,
  reason: string | null = null,
): RunEvent => ({
  seq: ++seq,
  runId: "r",
  entity,
  entityId: id,
  from: null,
  to,
  at: T + s * 1000,
  reason,
  data,
});
const log: RunEvent[] = [
  ev("pilot", "p1", "NEW", 0, { label: "local", cores: 2 }),
  ev("pilot", "p1", "PMGR_ACTIVE_PENDING", 0),
  ev("pilot", "p1", "PMGR_ACTIVE", 1),
  ev("task", "a", "NEW", 0, { stage: "Stage_1", cores: 1, attempt: 0 }),
  ev("task", "a", "TMGR_SCHEDULING_PENDING", 0),
  ev("task", "a", "TMGR_SCHEDULING", 0.5, { pilotId: "p1" }),
  ev("task", "a", "TMGR_STAGING_INPUT", 0.75, { pilotId: "p1" }),
  ev("task", "a", "AGENT_EXECUTING", 1, { pilotId: "p1", slots: [0], attempt: 0 }),
  ev("task", "a", "AGENT_STAGING_OUTPUT", 3, { exitCode: 0, attempt: 0 }),
  ev("task", "a", "DONE", 3.25),
  ev("pilot", "p1", "FAILED", 4, null, 'died, "badly", at node\nn1'),
];

describe("exports", () => {
  it("write CSV that parses back, quoting commas, quotes and newlines", () => {
    const st = computeStats(log);
    const rows = Papa.parse<string[]>(pilotsCsv(st).trim(), { newline: "\r\n" }).data;
    expect(rows[0]?.[0]).toBe("pilot_id");
    expect(rows[1]?.[rows[0]!.indexOf("reason")]).toBe('died, "badly", at node\nn1');
    const tasks = Papa.parse<Record<string, string>>(tasksCsv(st).trim(), {
      header: true,
      newline: "\r\n",
    }).data;
    expect(tasks[0]).toMatchObject({
      task_id: "a",
      final_state: "DONE",
      attempts: "1",
      execution_s: "2",
      wait_s: "1",
      staging_in_s: "0.25",
      staging_out_s: "0.25",
    });
    expect(toCsv(["x"], [[null], [1.23456]])).toBe("x\r\n\r\n1.235\r\n");
  });
  it("events.jsonl replays to the same statistics", () => {
    const back = eventsJsonl(log)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as RunEvent);
    expect(computeStats(back)).toEqual(computeStats(log));
  });
  it("time series at 1 s: executing tasks, wait queue, busy cores", () => {
    const rows = Papa.parse<Record<string, string>>(timeseriesCsv(foldEvents(emptyView(), log)).trim(), {
      header: true,
      newline: "\r\n",
    }).data;
    expect(rows.map((r) => [r.t_s, r.tasks_executing, r.wait_queue, r.busy_cores_local])).toEqual([
      ["0", "0", "1", "0"],
      ["1", "1", "0", "1"],
      ["2", "1", "0", "1"],
      ["3", "0", "0", "0"],
      ["4", "0", "0", "0"],
    ]);
  });
});
