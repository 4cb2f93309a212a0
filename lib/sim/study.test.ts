import { describe, expect, it } from "vitest";
import { parseAimesTexts } from "./aimes-data";
import { fitOverheads } from "./aimes-fit";
import { seriesModel } from "./series-model";
import { distributionRow, strategyRow } from "./study";

const RUNS =
  "run_key,series,n_tasks,task_length_s,input_bytes_per_task,output_bytes_per_task,resources,cores_per_pilot,walltime_min_per_pilot,ttc_s,t_last_task_done_s,all_tasks_done\n";
const PILOTS = "run_key,pilot_uid,resource,cores,walltime_min,t_created_s,t_submitted_s,t_active_s\n";

/** Two resources; x waits 10 or 30 s, y never starts in one of two runs; a 16-task size with no pilot rows. */
function data() {
  const p = parseAimesTexts({
    runs:
      RUNS +
      [
        "S/4/a,S,4,100,0,0,x;y,2;2,20;20,150,140,true",
        "S/4/b,S,4,100,0,0,x;y,2;2,20;20,260,250,true",
        "S/16/c,S,16,100,0,0,x;y,8;8,40;40,900,,",
      ].join("\n") +
      "\n",
    pilots:
      PILOTS +
      [
        "S/4/a,p1,x,2,20,0,5,15",
        "S/4/a,p2,y,2,20,1,7,17",
        "S/4/b,p1,x,2,20,0,5,35",
        "S/4/b,p2,y,2,20,1,7,",
      ].join("\n") +
      "\n",
    tasks: null,
  });
  if (!p.ok) throw new Error(p.errors.join("; "));
  return p.data;
}

describe("the series model behind validation items 2 and 3", () => {
  it("draws waits per resource from the same bag size, never-active pilots as a share", () => {
    const m = seriesModel(data(), "S", 4)!;
    expect(m.scope).toBe("S, 4 tasks");
    expect(m.waits.get("x")).toMatchObject({ kind: "samples", seconds: [10, 30], neverShare: 0 });
    expect(m.waits.get("y")).toMatchObject({ kind: "samples", seconds: [10], neverShare: 0.5 });
    expect(Object.fromEntries(m.submitAt)).toEqual({ x: 5, y: 7 });
    // a size without pilot rows falls back to the whole series
    expect(seriesModel(data(), "S", 16)!.scope).toBe("S, all sizes");
  });

  it("compares the simulated median with the measured range, and both strategies on the same queues", () => {
    const d = data();
    const fit = fitOverheads(d);
    const row = distributionRow(d, fit, "S", 4, 200, 1)!;
    expect([row.min, row.max, row.runs]).toEqual([150, 260, 2]);
    expect(row.sim!.median).toBeGreaterThan(100);
    expect(row.inside).toBe(row.sim!.median! >= 150 && row.sim!.median! <= 260);
    const st = strategyRow(d, fit, "S", 4, 200, 1)!;
    expect("median" in st.aimes && "median" in st.adaptive).toBe(true);
  });
});
