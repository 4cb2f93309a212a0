import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../io";
import { main } from "../main";

const SK = path.resolve(process.cwd(), "../shared/fixtures/skeletons/emanager_skeleton_demo_SC2014.conf");
const BUNDLE = path.resolve(process.cwd(), "../shared/fixtures/bundles/emanager_bundle_demo_SC2014.conf");
const AIMES = path.resolve(process.cwd(), "../shared/data/aimes-swift");

const RUNS_HEADER =
  "run_key,series,n_tasks,task_length_s,input_bytes_per_task,output_bytes_per_task,resources,cores_per_pilot,walltime_min_per_pilot,ttc_s,t_last_task_done_s,all_tasks_done,data_level";
const PILOTS_HEADER = "run_key,pilot_uid,resource,cores,walltime_min,t_created_s,t_submitted_s,t_active_s";

/** A tiny data set in the columns of ../shared/data/aimes-swift, hand-checkable. */
function tinyDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "emanager-replay-"));
  // run A: 4 tasks of 100 s, pilots of 2 cores submitted at 10 s, active at 20 s and 50 s → with the
  // default overheads (11 s start-up, 0.05 s hand-over, 0.4 s overrun, 6 s out, 12 s end):
  // first pilot runs 2 tasks from ≈31 s, second 2 from ≈61 s → last done ≈ 61.1 + 100.4 + 6, TTC ≈ 179.5
  // run B: 2 tasks, one pilot never active, the other active at 30 s → TTC ≈ 30 + 11 + 0.1 + 100.4 + 6 + 12 ≈ 159.5
  // run C: no pilot rows (skipped)
  writeFileSync(
    path.join(dir, "runs.csv"),
    [
      RUNS_HEADER,
      "T/4/a,T,4,100,0,0,x;y,2;2,10;10,180,168,true,json",
      "T/2/b,T,2,100,0,0,x;y,1;1,10;10,250,238,true,json",
      "T/8/c,T,8,100,0,0,x,8,10,200,,,ttc_only",
    ].join("\n") + "\n",
  );
  writeFileSync(
    path.join(dir, "pilots.csv"),
    [
      PILOTS_HEADER,
      "T/4/a,p1,x,2,10,0,10,20",
      "T/4/a,p2,y,2,10,1,10,50",
      "T/2/b,p1,x,1,10,0,5,",
      "T/2/b,p2,y,2,10,1,10,30",
    ].join("\n") + "\n",
  );
  return dir;
}

describe("emanager simulate --replay", () => {
  it("replays a tiny directory: one row per run, the skipped one listed, the summary last", async () => {
    const io = memoryIO();
    expect(await main(["simulate", "--replay", tinyDir()], io)).toBe(0);
    const lines = io.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("replay: 1 of 2 runs within ±15 %");
    const a = lines.find((l) => l.startsWith("T/4/a"))!;
    expect(a).toMatch(/^T\/4\/a\s+4\s+180\s+180\s+-0\.3 %$/);
    const b = lines.find((l) => l.startsWith("T/2/b"))!;
    expect(b).toMatch(/160\s+-36\.2 %\s+outside:/);
    expect(lines.find((l) => l.startsWith("T/8/c"))).toMatch(/skipped: no pilot rows/);
    expect(io.stdout).toMatch(/overheads: documented defaults \(no tasks\.csv\)/);
  });

  it("gives the same figures as JSON", async () => {
    const io = memoryIO();
    expect(await main(["simulate", "--replay", tinyDir(), "--format", "json"], io)).toBe(0);
    const j = JSON.parse(io.stdout) as {
      within: number;
      counted: number;
      runs: { runKey: string; simulated: number | null; skipped?: string }[];
    };
    expect([j.within, j.counted]).toEqual([1, 2]);
    expect(j.runs.find((r) => r.runKey === "T/4/a")?.simulated).toBeCloseTo(179.5, 1);
    expect(j.runs.find((r) => r.runKey === "T/2/b")?.simulated).toBeCloseTo(159.5, 1);
  });

  it("refuses a directory whose files lack a column, naming it", async () => {
    const dir = tinyDir();
    writeFileSync(path.join(dir, "pilots.csv"), "run_key,pilot_uid\nT/4/a,p1\n");
    const io = memoryIO();
    expect(await main(["simulate", "--replay", dir], io)).toBe(2);
    expect(io.stderr).toMatch(/pilots\.csv: missing column\(s\) resource, cores, walltime_min/);
  });

  it("replays ../shared/data/aimes-swift with at least 80 % of runs within ±15 %", async () => {
    const io = memoryIO();
    expect(await main(["simulate", "--replay", AIMES], io)).toBe(0);
    const last = io.stdout.trimEnd().split("\n").at(-1)!;
    const m = /^replay: (\d+) of (\d+) runs within ±15 %$/.exec(last);
    expect(m).not.toBeNull();
    const [within, counted] = [Number(m![1]), Number(m![2])];
    expect(counted).toBe(118); // 143 runs, 25 without pilot rows
    expect(within / counted).toBeGreaterThanOrEqual(0.8);
    expect(io.stdout.match(/skipped: no pilot rows/g)).toHaveLength(25);
  }, 60_000);
});

describe("emanager simulate SKELETON", () => {
  it("prints median/p10/p90 TTC and the failure share of both strategies, deterministic for a seed", async () => {
    const a = memoryIO();
    expect(
      await main(
        ["simulate", SK, "--resources", BUNDLE, "--runs", "200", "--seed", "3", "--format", "json"],
        a,
      ),
    ).toBe(0);
    const b = memoryIO();
    expect(
      await main(
        ["simulate", SK, "--resources", BUNDLE, "--runs", "200", "--seed", "3", "--format", "json"],
        b,
      ),
    ).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const j = JSON.parse(a.stdout) as {
      strategies: {
        strategy: string;
        summary: { median: number; p10: number; p90: number; failShare: number };
      }[];
    };
    expect(j.strategies.map((s) => s.strategy)).toEqual(["aimes", "adaptive"]);
    for (const s of j.strategies)
      expect(s.summary.p10 <= s.summary.median && s.summary.median <= s.summary.p90).toBe(true);
    const t = memoryIO();
    expect(
      await main(["simulate", SK, "--resources", BUNDLE, "--runs", "100", "--strategy", "aimes"], t),
    ).toBe(0);
    expect(t.stdout).toMatch(
      /^aimes: TTC median [\d,]+ s \(p10 [\d,]+ s, p90 [\d,]+ s\); fails in \d+\.\d % of 100 simulated runs/,
    );
  });

  it("takes queue waits from --queue-waits: a resource that never starts is never used", async () => {
    const waits = path.join(mkdtempSync(path.join(os.tmpdir(), "emanager-waits-")), "waits.json");
    writeFileSync(
      waits,
      JSON.stringify({
        "xsede.stampede": { never: true },
        "xsede.gordon": { fixed: 0 },
        "nersc.hopper": { never: true },
        "xsede.trestles": { never: true },
        "xsede.blacklight": { never: true },
      }),
    );
    const io = memoryIO();
    expect(
      await main(
        [
          "simulate",
          SK,
          "--resources",
          BUNDLE,
          "--runs",
          "20",
          "--strategy",
          "aimes",
          "--queue-waits",
          waits,
        ],
        io,
      ),
    ).toBe(0);
    expect(io.stdout).toMatch(
      /pilot xsede\.stampede: 5 cores, walltime 16 min; queue wait never starts \(given \(--queue-waits\)\)/,
    );
    expect(io.stdout).toMatch(/fails in 0\.0 %/);
    const bad = memoryIO({ [waits]: JSON.stringify({ "xsede.gordon": { median: "soon" } }) });
    expect(await main(["simulate", SK, "--resources", BUNDLE, "--queue-waits", waits], bad)).toBe(2);
  });

  it("exits 2 on bad options", async () => {
    for (const args of [
      ["simulate"],
      ["simulate", SK, "--resources", BUNDLE, "--strategy", "best"],
      ["simulate", SK, "--resources", BUNDLE, "--runs", "0"],
      ["simulate", "--replay", "/nonexistent-dir"],
    ]) {
      const io = memoryIO();
      expect(await main(args, io)).toBe(2);
      expect(io.stderr).toMatch(/usage: emanager simulate|cannot read/);
    }
  });
});
