import { describe, expect, it } from "vitest";
import { resource, sc2014 } from "../planner/test-helpers";
import { planWorkload } from "../planner";
import { parseAimesTexts, parseCsv, readTable, ZPilotRow } from "./aimes-data";
import { inputFromPlan } from "./from-plan";
import { fitOverheads } from "./aimes-fit";
import { replayRun } from "./replay";

describe("reading AIMES-form CSV", () => {
  it("parses quoted fields with commas, doubled quotes, newlines and CRLF", () => {
    expect(parseCsv('a,b,c\r\n1,"x, y","say ""hi""\nthere"\r\n2,,\n')).toEqual([
      ["a", "b", "c"],
      ["1", "x, y", 'say "hi"\nthere'],
      ["2", "", ""],
    ]);
  });

  it("names the file, line and column of a bad value, and missing columns", () => {
    const bad = readTable(
      "pilots.csv",
      "run_key,pilot_uid,resource,cores,walltime_min,t_submitted_s,t_active_s,t_created_s\nr,p,x,two,10,0,1,0\n",
      ZPilotRow,
    );
    expect(bad.ok ? [] : bad.errors[0]).toMatch(/^pilots\.csv:2: cores: /);
    const missing = readTable("pilots.csv", "run_key,pilot_uid\n", ZPilotRow);
    expect(missing.ok ? [] : missing.errors).toEqual([
      "pilots.csv: missing column(s) resource, cores, walltime_min, t_submitted_s, t_active_s, t_created_s",
    ]);
  });

  it("fits start-up, overrun and the end of a run from tasks.csv, and replays a run with them", () => {
    const runs =
      "run_key,series,n_tasks,task_length_s,input_bytes_per_task,output_bytes_per_task,resources,cores_per_pilot,walltime_min_per_pilot,ttc_s,t_last_task_done_s,all_tasks_done\n" +
      "S/2/a,S,2,100,0,0,x,2,10,140,125,true\n";
    const pilots =
      "run_key,pilot_uid,resource,cores,walltime_min,t_created_s,t_submitted_s,t_active_s\nS/2/a,p1,x,2,10,0,5,15\n";
    // a start is taken as end − length (121 − 100 = 21): agent start-up 21 − 15 = 6 s, the recorded
    // overrun (1 s) inside it; last execution ends at 121, Done at 125 (4 s); end 15 s
    const tasks =
      "run_key,task_uid,pilot_uid,exec_start_s,exec_end_s,exec_start_state,final_state\nS/2/a,u1,p1,20,121,Executing,Done\nS/2/a,u2,p1,20,121,Executing,Done\n";
    const p = parseAimesTexts({ runs, pilots, tasks });
    if (!p.ok) throw new Error(p.errors.join("; "));
    const fit = fitOverheads(p.data);
    expect([fit.plain.startupS, fit.plain.execOverrunS, fit.plain.stageOutS, fit.endS]).toEqual([
      6, 0, 4, 15,
    ]);
    // 15 active + 6 start-up + 2 × 0.05 hand-over (the default rate: no pilot here has 8 tasks) + 100 + 4 + 15
    const r = replayRun(p.data.runs[0]!, p.data.pilotsByRun.get("S/2/a"), fit);
    expect(r.simulated).toBeCloseTo(140.1, 6);
    expect(r.within).toBe(true);
  });
});

describe("inputFromPlan: where each pilot's queue wait comes from", () => {
  it("a given model first, then the measured history of the pilot's queue, then the documented default", () => {
    const rs = [
      resource("a", { waitHistory: [{ queue: "normal", samples: 12, medianSeconds: 30, p90Seconds: 90 }] }),
      resource("b"),
      resource("c", { batch: "local" }),
    ];
    const p = planWorkload(sc2014(), rs, { strategy: "aimes", now: new Date("2026-11-24T10:00:00Z") });
    if (!p.ok) throw new Error("no plan");
    const input = inputFromPlan(sc2014(), p.plan, rs, { queueWaits: { b: { fixed: 7 } } });
    const byLabel = new Map(input.pilots.map((x) => [x.label, x.wait]));
    expect(byLabel.get("a")).toEqual({
      kind: "lognormal",
      medianSeconds: 30,
      p90Seconds: 90,
      source: "measured: 12 pilot wait(s) on a[normal]",
    });
    expect(byLabel.get("b")).toEqual({ kind: "fixed", seconds: 7, source: "given (--queue-waits)" });
    expect(byLabel.get("c")).toEqual({ kind: "fixed", seconds: 0, source: "default: no batch queue" });
    const d = inputFromPlan(sc2014(), p.plan, rs).pilots.find((x) => x.label === "b")!.wait;
    expect(d.source).toBe("default (no data): 60 s × (1 + queued/running)");
  });
});
