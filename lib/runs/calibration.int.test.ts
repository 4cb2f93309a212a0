import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { readEvents } from "../db/events";
import { computeStats } from "../stats/metrics";
import { driveUntilFinal, startRun } from "../test-support/engine-run";
import { readPrediction } from "./prediction";

// Issue 15, validation item 4: runs of different small skeletons on `local` (the real bash agent,
// real SQLite), each predicted at launch from the model calibrated on the earlier runs only; the
// predicted median TTC must be within ±25 % of the measured TTC.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-calibration-"));
let db: Db;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  db = openDb(`file:${path.join(DATA, "em.db")}`);
});
afterAll(() => db.$disconnect());

function stage(name: string, tasks: number, length: string, inputs: string, outputBytes: number): string {
  return [
    `Stage_Name = ${name}`,
    "    Task_Type = serial",
    `    Num_Tasks = ${tasks}`,
    `    Task_Length = ${length}`,
    "    Num_Processes = 1",
    "    Read_Buffer = 65536",
    "    Write_Buffer = 65536",
    inputs,
    "    Output_Files_Each_Task = 1",
    `        Output_1.Size = uniform ${outputBytes}`,
    "    Interleave_Option = 0",
    "",
  ].join("\n");
}
const fileIn = (bytes: number) =>
  `    Input_Files_Each_Task = 1\n        Input_1.Source = filesystem\n        Input_1.Size = uniform ${bytes}`;
const skeleton = (...stages: string[]) => `Num_Stage = ${stages.length}\n\n${stages.join("\n")}`;

// different shapes: a bag, two stages with a barrier, short and long tasks, more tasks than cores
const RUNS: { name: string; text: string; cores: number }[] = [
  { name: "warm-up bag", text: skeleton(stage("Stage_1", 6, "uniform 1", fileIn(4096), 1000)), cores: 2 },
  { name: "bag of 8 × 1 s", text: skeleton(stage("Stage_1", 8, "uniform 1", fileIn(65536), 2000)), cores: 2 },
  {
    name: "two stages",
    text: skeleton(
      stage("Stage_1", 6, "uniform 0.5", fileIn(8192), 4000),
      stage(
        "Stage_2",
        2,
        "uniform 1.5",
        "    Input_Files_Each_Task = 3\n        Input_Task_Mapping = combination Stage_1.Output_1 3",
        1000,
      ),
    ),
    cores: 3,
  },
  // 16 × 0.4 s: at 0.2 s the run took 2 s, of which ~0.4 s was the engine's tick phase (±0.2 s run to run)
  { name: "short tasks", text: skeleton(stage("Stage_1", 16, "uniform 0.4", fileIn(1024), 500)), cores: 4 },
  {
    name: "long tasks",
    text: skeleton(stage("Stage_1", 4, "uniform 2.5", fileIn(1_048_576), 20000)),
    cores: 2,
  },
  { name: "one core", text: skeleton(stage("Stage_1", 5, "uniform 0.8", fileIn(16384), 1000)), cores: 1 },
];

describe("predictions calibrated on the project's own runs (local)", () => {
  it(
    "predicts each run's median TTC within ±25 % from the earlier runs only",
    { timeout: 600_000 },
    async () => {
      const u = await db.user.create({ data: { email: "calibrate@x.org", passwordHash: "h" } });
      const res = await db.resource.create({
        data: { userId: u.id, label: "local", kind: "local", coresPerNode: 4 },
      });
      const rows: {
        name: string;
        predicted: number | null;
        actual: number;
        error: number | null;
        calibratedFrom: number;
      }[] = [];
      for (const r of RUNS) {
        const { run } = await startRun(db, u.id, r.name, r.text, [
          { resourceId: res.id, resource: "local", kind: "local", cores: r.cores, walltimeMinutes: 5 },
        ]);
        const p = readPrediction((await db.run.findUniqueOrThrow({ where: { id: run.id } })).prediction);
        expect(p, "a prediction is stored at launch").not.toBeNull();
        const final = await driveUntilFinal(db, run.id, 120_000);
        expect(final.state, final.stateReason ?? "").toBe("DONE");
        const actual = computeStats(await readEvents(db, run.id)).ttc;
        rows.push({
          name: r.name,
          predicted: p!.median,
          actual,
          error: p!.median !== null ? p!.median / actual - 1 : null,
          calibratedFrom: p!.inputs.calibratedFrom,
        });
      }
      // the figures, for the report
      console.log(
        rows
          .map(
            (x) =>
              `${x.name}: predicted ${x.predicted?.toFixed(2)} s, actual ${x.actual.toFixed(2)} s, error ${x.error !== null ? (x.error * 100).toFixed(0) : "-"} % (from ${x.calibratedFrom} runs)`,
          )
          .join("\n"),
      );
      // the first run had nothing to learn from; every later one learned from the earlier ones only
      expect(rows.map((x) => x.calibratedFrom)).toEqual(RUNS.map((_, i) => i));
      for (const x of rows.slice(1))
        expect(
          Math.abs(x.error ?? Infinity),
          `${x.name}: predicted ${x.predicted} s, actual ${x.actual} s`,
        ).toBeLessThanOrEqual(0.25);
    },
  );
});
