import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { slurm, slurmState } from "./slurm";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/batch/slurm");
const spec = {
  pilotId: "p",
  sandbox: "/home/u/emanager/run-1/pilot-0",
  jobName: "emanager-abc-p0",
  cores: 5,
  nodes: 1,
  walltimeMinutes: 15.8833,
  queue: "stampede",
  project: "TG-1",
  envSetup: ["module load gcc/12"],
};

describe("SLURM adapter", () => {
  it("renders the job script with rounded-up walltime, partition, account and env lines", () => {
    const s = slurm.renderJobScript(spec);
    expect(s).toContain("#SBATCH --time=00:16:00");
    expect(s).toContain("#SBATCH --ntasks=5");
    expect(s).toContain("#SBATCH --partition=stampede");
    expect(s).toContain("#SBATCH --account=TG-1");
    expect(s).toContain(
      "module load gcc/12\nexec bash /home/u/emanager/run-1/pilot-0/emanager-agent.sh /home/u/emanager/run-1/pilot-0",
    );
    expect(slurm.renderJobScript({ ...spec, walltimeMinutes: 2000 })).toContain("--time=1-09:20:00");
  });
  it("refuses to put an injection into a directive or a command", () => {
    expect(() => slurm.renderJobScript({ ...spec, queue: "normal\n#SBATCH --wrap=x" })).toThrow();
    expect(() => slurm.renderJobScript({ ...spec, sandbox: "/tmp/$(id)" })).toThrow();
    expect(() => slurm.renderJobScript({ ...spec, envSetup: ["export A=`id`"] })).toThrow();
    expect(() => slurm.cancelCommand("1; rm -rf ~")).toThrow();
  });
  it("parses sbatch answers, including every recorded rejection", () => {
    expect(slurm.parseSubmit("4242\n", "", 0)).toEqual({ ok: true, jobId: "4242" });
    expect(slurm.parseSubmit("4242;cluster\n", "", 0)).toEqual({ ok: true, jobId: "4242" });
    const rejections = readdirSync(FIX).filter((f) => /sbatch_stderr/.test(f));
    expect(rejections.length).toBeGreaterThan(2);
    for (const f of rejections) {
      const r = slurm.parseSubmit("", readFileSync(path.join(FIX, f), "utf8"), 1);
      expect(r.ok, f).toBe(false);
      if (!r.ok) expect(r.message.length, f).toBeGreaterThan(10);
    }
  });
  it("maps squeue and scontrol answers to queued / running / ended", () => {
    const out =
      "11|PENDING|Priority\n12|RUNNING|None\nemanager-job 11\nemanager-job 12\nemanager-job 13\nJobId=13 JobName=x JobState=TIMEOUT Reason=TimeLimit\nemanager-job 14\nslurm_load_jobs error: Invalid job id specified\n";
    const m = slurm.parseStatus(out, "", ["11", "12", "13", "14"]);
    expect(m.get("11")).toEqual({ state: "queued", reason: "PENDING: Priority" });
    expect(m.get("12")?.state).toBe("running");
    expect(m.get("13")).toEqual({ state: "ended", reason: "TIMEOUT (TimeLimit)" });
    expect(m.get("14")?.state).toBe("ended");
    expect(slurmState("WEIRD").state).toBe("unknown");
    expect(slurmState("CANCELLED+").state).toBe("ended");
  });
});
