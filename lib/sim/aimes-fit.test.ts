import { describe, expect, it } from "vitest";
import { seededRng } from "../skeleton/rng";
import { parseAimesTexts } from "./aimes-data";
import { fitOverheads, overheadsFor } from "./aimes-fit";
import { simulateRun } from "./run";
import { bag, input, pilot, ZERO } from "./test-helpers";
import { drawWait } from "./waits";

const RUNS =
  "run_key,series,n_tasks,task_length_s,input_bytes_per_task,output_bytes_per_task,resources,cores_per_pilot,walltime_min_per_pilot,ttc_s,t_last_task_done_s,all_tasks_done\n";
const PILOTS = "run_key,pilot_uid,resource,cores,walltime_min,t_created_s,t_submitted_s,t_active_s\n";
const TASKS = "run_key,task_uid,pilot_uid,exec_start_s,exec_end_s,exec_start_state,final_state\n";

/**
 * One run of 18 tasks of 100 s on two 8-core pilots: slow (active at 10, agent up 12 s later, one
 * task every 0.5 s) and quick (active at 10, up 6 s later, one every 0.1 s). The quick one then runs
 * two more tasks, the first 3 s after its first core freed. Recorded starts are 2 s early on
 * `slow` and exact on `quick`: the fit must read starts from the ends.
 */
function oneRun() {
  const tasks: string[] = [];
  for (let i = 0; i < 8; i++) {
    const s = 22 + 0.5 * i;
    tasks.push(`R/18/a,s${i},ps,${s - 2},${s + 100},Executing,Done`);
    const q = 16 + 0.1 * i;
    tasks.push(`R/18/a,q${i},pq,${q},${q + 100},Executing,Done`);
  }
  tasks.push("R/18/a,q8,pq,119,219,Executing,Done", "R/18/a,q9,pq,119.2,219.2,Executing,Done");
  // failed at launch: holds no core, says nothing about start-up
  tasks.push("R/18/a,f,ps,11,11.1,Executing,Failed");
  const p = parseAimesTexts({
    runs: RUNS + "R/18/a,R,18,100,0,0,slow;quick,8;8,10;10,240,225,true\n",
    pilots: PILOTS + "R/18/a,ps,slow,8,10,0,2,10\nR/18/a,pq,quick,8,10,0,2,10\n",
    tasks: TASKS + tasks.join("\n") + "\n",
  });
  if (!p.ok) throw new Error(p.errors.join("; "));
  return p.data;
}

describe("the AIMES overhead fit", () => {
  it("fits start-up and hand-over per resource, from execution ends", () => {
    const fit = fitOverheads(oneRun());
    const slow = overheadsFor(fit, { n_tasks: 18, input_bytes_per_task: 0 }, "slow");
    const quick = overheadsFor(fit, { n_tasks: 18, input_bytes_per_task: 0 }, "quick");
    expect([slow.startupS, slow.perTaskS]).toEqual([12, 0.5]);
    expect(quick.startupS).toBeCloseTo(6, 9);
    expect(quick.perTaskS).toBeCloseTo(0.1, 9);
    expect(slow.execOverrunS).toBe(0);
    // quick's first core freed at 116; its next task started at 119
    expect(quick.rebindLatencyS).toBeCloseTo(3, 9);
    // an unknown resource takes the medians over every pilot
    expect(overheadsFor(fit, { n_tasks: 18, input_bytes_per_task: 0 }, "other").startupS).toBe(9);
  });

  it("waits that long before re-binding a freed core", () => {
    const o = { ...ZERO, rebindLatencyS: 3, laterPerTaskS: 0 };
    const r = simulateRun(input(bag(2, 100), [pilot("A", 1, 0, { overheads: o })]), seededRng(1, "x"));
    expect(r.ttc).toBe(203);
  });
});

describe("drawing from measured waits", () => {
  it("interpolates between the measured waits instead of repeating them", () => {
    const m = { kind: "samples" as const, seconds: [40, 10, 20], neverShare: 0, source: "t" };
    const rng = seededRng(3, "w");
    const xs = Array.from({ length: 2000 }, () => drawWait(m, rng)!);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...xs)).toBeLessThanOrEqual(40);
    // most draws lie between the measured waits; the median is the middle one
    expect(xs.filter((x) => x !== 10 && x !== 20 && x !== 40).length).toBeGreaterThan(1990);
    const s = [...xs].sort((a, b) => a - b);
    expect(Math.abs(s[1000]! - 20)).toBeLessThan(1.5);
  });
});
