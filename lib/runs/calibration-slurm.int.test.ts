import { describe, expect, it } from "vitest";
import { readEvents } from "../db/events";
import { computeStats } from "../stats/metrics";
import {
  clusterTestBed,
  clusterUser,
  demoSkeleton,
  driveUntilFinal,
  startRun,
} from "../test-support/engine-run";
import { readPrediction } from "./prediction";

// Issue 15, validation item 4 on the loopback SLURM cluster (sshd + slurmctld): each run predicted
// at launch from the earlier runs only (their queue waits on the partition, start-up, hand-over
// over ssh, collection); the predicted median TTC within ±25 % of the measured TTC.
const SECRET = "h".repeat(43);
const bed = clusterTestBed("em-calibration-slurm-", SECRET);
process.env.EMANAGER_POLL_INTERVAL_S = "1";

// the SC2014 demo with its lengths scaled to seconds, in different shapes
const RUNS: { name: string; stage1: string; stage2: string; cores: number }[] = [
  { name: "warm-up", stage1: "uniform 1", stage2: "uniform 1", cores: 4 },
  { name: "demo 1 s / 2 s on 4 cores", stage1: "uniform 1", stage2: "uniform 2", cores: 4 },
  { name: "demo 0.5 s / 1 s on 8 cores", stage1: "uniform 0.5", stage2: "uniform 1", cores: 8 },
  { name: "demo 2 s / 1 s on 4 cores", stage1: "uniform 2", stage2: "uniform 1", cores: 4 },
  { name: "demo 1 s / 3 s on 6 cores", stage1: "uniform 1", stage2: "uniform 3", cores: 6 },
];

describe("predictions calibrated on the project's own runs (loopback SLURM)", () => {
  it(
    "predicts each run's median TTC within ±25 % from the earlier runs only",
    { timeout: 600_000 },
    async () => {
      const db = bed.db();
      const { user, resource } = await clusterUser(db, bed.cluster(), "calibrate-slurm@x.org", SECRET);
      const res = await resource("stampede", "slurm", { defaultQueue: "stampede" });
      const rows: {
        name: string;
        predicted: number | null;
        actual: number;
        error: number | null;
        calibratedFrom: number;
      }[] = [];
      for (const r of RUNS) {
        const { run } = await startRun(db, user.id, r.name, demoSkeleton(r.stage1, r.stage2), [
          {
            resourceId: res.id,
            resource: "stampede",
            kind: "slurm",
            queue: "stampede",
            cores: r.cores,
            walltimeMinutes: 10,
          },
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
      console.log(
        rows
          .map(
            (x) =>
              `${x.name}: predicted ${x.predicted?.toFixed(2)} s, actual ${x.actual.toFixed(2)} s, error ${x.error !== null ? (x.error * 100).toFixed(0) : "-"} % (from ${x.calibratedFrom} runs)`,
          )
          .join("\n"),
      );
      expect(rows.map((x) => x.calibratedFrom)).toEqual(RUNS.map((_, i) => i));
      for (const x of rows.slice(1))
        expect(
          Math.abs(x.error ?? Infinity),
          `${x.name}: predicted ${x.predicted} s, actual ${x.actual} s`,
        ).toBeLessThanOrEqual(0.25);
    },
  );
});
