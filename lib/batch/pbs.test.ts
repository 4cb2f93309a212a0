import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePbsBlocks, parsePbsJson, parseQstatTable } from "./pbs-attrs";
import { pbs, pbsState } from "./pbs";

// There is no PBS here: these tests read recorded real outputs (../shared/fixtures/batch, with
// their sources in its README) and check the commands EManager would run.
const FIX = path.resolve(process.cwd(), "../shared/fixtures/batch");
const fx = (f: string) => readFileSync(path.join(FIX, f), "utf8");
const spec = {
  pilotId: "p",
  sandbox: "/home/u/emanager/run-1/pilot-0",
  jobName: "emanager-abc-p0",
  cores: 20,
  nodes: 2,
  walltimeMinutes: 72.13,
  queue: "normal",
  project: "TG-1",
  envSetup: ["module load gcc/12"],
};

describe("PBS adapter (PBS Pro and Torque, on recorded outputs)", () => {
  it("renders one script both read: nodes=N:ppn=M, walltime, queue, account, output files", () => {
    const s = pbs.renderJobScript(spec);
    for (const l of [
      "#PBS -l nodes=2:ppn=10",
      "#PBS -l walltime=01:13:00",
      "#PBS -q normal",
      "#PBS -A TG-1",
      "#PBS -o /home/u/emanager/run-1/pilot-0/bootstrap.out",
      "#PBS -N emanager-abc-p0",
    ])
      expect(s).toContain(l);
    expect(s).toContain(
      "module load gcc/12\nexec bash /home/u/emanager/run-1/pilot-0/emanager-agent.sh /home/u/emanager/run-1/pilot-0",
    );
    expect(pbs.renderJobScript({ ...spec, walltimeMinutes: 3000 })).toContain("walltime=50:00:00");
    expect(pbs.submitCommand("/home/u/x/pilot.job")).toBe("qsub /home/u/x/pilot.job");
  });

  it("refuses injections before any command is built", () => {
    expect(() => pbs.renderJobScript({ ...spec, queue: "normal\n#PBS -l nodes=999" })).toThrow();
    expect(() => pbs.renderJobScript({ ...spec, project: "$(id)" })).toThrow();
    expect(() => pbs.renderJobScript({ ...spec, jobName: "a`id`" })).toThrow();
    expect(() => pbs.statusCommand(["1; rm -rf ~"])).toThrow();
    expect(() => pbs.cancelCommand("12'")).toThrow();
  });

  it("reads qsub's job id and its recorded rejections in the batch system's own words", () => {
    expect(pbs.parseSubmit(fx("pbspro/unsw_katana_qsub_jobid.txt"), "", 0)).toEqual({
      ok: true,
      jobId: "1237.kman.restech.unsw.edu.au",
    });
    expect(pbs.parseSubmit(fx("pbspro/openpbs_pr2237_qsub_J_array_jobid.txt"), "", 0)).toMatchObject({
      ok: false,
      code: "PARSE",
      message: expect.stringMatching(/array job/),
    });
    expect(
      pbs.parseSubmit("", fx("pbspro/alcf-pr568_qsub_stderr_rejected_by_all_destinations.txt"), 1),
    ).toEqual({ ok: false, code: "REJECTED", message: "Job rejected by all possible destinations" });
    expect(pbs.parseSubmit("", fx("torque/canu-issue891_qsub_stderr_unknown_queue.txt"), 1)).toMatchObject({
      code: "REJECTED",
      message: "submit error (Unknown queue MSG=requested queue not found)",
    });
    expect(pbs.parseSubmit("", fx("torque/gc3pie_qsub_stderr_exceeds_queue_limits.txt"), 190)).toMatchObject({
      code: "REJECTED",
      message: expect.stringMatching(/^Job exceeds queue resource limits/),
    });
  });

  it("reads qstat -f with TAB continuation lines: queued, held (with its comment), running", () => {
    const text = fx("pbspro/aiida_qstat_f_queued_held_running.txt");
    const blocks = parsePbsBlocks(text);
    expect(blocks.map((b) => b.name)).toEqual([
      "68350.mycluster",
      "68351.mycluster",
      "69301.mycluster",
      "69302.mycluster",
      "74164.mycluster",
      "74165.mycluster",
    ]);
    expect(blocks[0]!.attrs.get("Error_Path")).toBe(
      "mycluster.cluster:/home/usernum1/scratch/cptest/scaletest/PTOscaletest/testjob.err",
    );
    const m = pbs.parseStatus(text, "", ["68350", "69301", "69302.mycluster", "99999"]);
    expect(m.get("68350")).toEqual({
      state: "queued",
      reason: "Q (queued): Not Running: Node is in an ineligible state: offline",
    });
    expect(m.get("69301")?.state).toBe("running");
    expect(m.get("69302.mycluster")).toMatchObject({
      state: "queued",
      reason: expect.stringMatching(/^H \(held\)/),
    });
    // not listed, and no word from the server that it has gone: unknown, never "ended"
    expect(m.get("99999")).toMatchObject({ state: "unknown" });
  });

  it("reads Torque's completed jobs with their exit status, and Unknown Job Id as ended", () => {
    const m = pbs.parseStatus(fx("torque/batcheuphoria_qstat_f_torque_dkfz_completed_running.txt"), "", [
      "14973441",
      "14973792",
      "14973766",
      "14973745",
    ]);
    expect([...m.values()].map((s) => s.state)).toEqual(["ended", "queued", "running", "queued"]);
    expect(m.get("14973441")?.reason).toBe("C (completed): exit_status 0");
    expect(
      pbs
        .parseStatus(fx("torque/buildtest_qstat_f_torque7_completed_req_information.txt"), "", [
          "40680075.e4spro-cluster",
        ])
        .get("40680075.e4spro-cluster"),
    ).toMatchObject({ state: "ended", reason: expect.stringMatching(/exit_status 0/) });
    expect(
      pbs.parseStatus(fx("torque/gc3pie_qstat_stderr_unknown_job_id.txt"), "", ["123"]).get("123"),
    ).toMatchObject({ state: "ended" });
    // a failing qstat says nothing about the job: unknown, so the engine asks again rather than failing the pilot
    expect(
      pbs.parseStatus(fx("pbspro/ert_qstat_stderr_invalid_credential.txt"), "", ["5"]).get("5"),
    ).toMatchObject({ state: "unknown", reason: "qstat did not answer: Invalid credential" });
  });

  it("maps every job state letter", () => {
    expect(
      ["Q", "H", "W", "T", "M", "S", "R", "B", "E", "C", "F", "X"].map((l) => pbsState(l).state),
    ).toEqual([
      "queued",
      "queued",
      "queued",
      "queued",
      "queued",
      "queued",
      "running",
      "running",
      "running",
      "ended",
      "ended",
      "ended",
    ]);
    expect(pbsState("Z").state).toBe("unknown");
  });

  it("reads the -F json form of qstat -f (PBS Pro): a running two-node job", () => {
    const text = fx("pbspro/swrap_qstat_xf_F_json_metacentrum_running.txt");
    const [job] = parsePbsJson(text);
    expect(job?.name).toBe("12860476.meta-pbs.metacentrum.cz");
    expect(job?.attrs.get("Resource_List.nodect")).toBe("2");
    expect(
      pbs.parseStatus(text, "", ["12860476.meta-pbs.metacentrum.cz"]).get("12860476.meta-pbs.metacentrum.cz"),
    ).toEqual({
      state: "running",
      reason:
        "R (running): Job run at Tue Oct 04 at 21:23 on (charon24:ncpus=2:mem=4194304kb)+(charon21:ncpus=2:mem=4194304kb)",
    });
    expect(() => parsePbsJson('{"Jobs": 3}')).toThrow(/expected Jobs\/Queue\/Server\/nodes/);
    expect(() => parsePbsJson("{oops")).toThrow(/does not parse/);
  });

  it("reads the one-line tables: an array job's parent in state B (begun), truncated ids and comment lines", () => {
    const arr = fx("pbspro/openpbs_pr2237_qstat_default_array_parent_B.txt");
    expect(parseQstatTable(arr)).toEqual([{ id: "10[].Nile-extn", state: "B" }]);
    expect(pbs.parseStatus(arr, "", ["10"]).get("10")).toEqual({
      state: "running",
      reason: "B (array begun)",
    });
    const su = fx("pbspro/unsw_katana_qstat_su_with_comment_lines.txt");
    const m = pbs.parseStatus(su, "", ["315230.kman.restech.unsw.edu.au", "315233.kman.restech.unsw.edu.au"]);
    expect([...m.values()].map((s) => s.state)).toEqual(["running", "queued"]);
    const big = parseQstatTable(fx("torque/qtop_qstat_default_ral_tier1.txt"));
    expect(big.length).toBeGreaterThan(10_000);
    expect(new Set(big.map((r) => r.state))).toEqual(new Set(["R", "Q", "W"]));
  });

  it("reads PBS Pro's 'Job has finished' for a job that left the queue", () => {
    const out =
      "qstat: 1237.kman.restech.unsw.edu.au Job has finished, use -x or -H to obtain historical job information\n";
    expect(
      pbs.parseStatus(out, "", ["1237.kman.restech.unsw.edu.au"]).get("1237.kman.restech.unsw.edu.au"),
    ).toMatchObject({ state: "ended", reason: expect.stringMatching(/no longer knows/) });
  });

  it("keeps job names that old PBS accepts: a letter first, 15 characters at most", () => {
    expect(pbs.renderJobScript({ ...spec, jobName: "emanager-abcdef-p12" })).toContain(
      "#PBS -N emanager-abcdef\n",
    );
    expect(pbs.renderJobScript({ ...spec, jobName: "0run" })).toContain("#PBS -N p0run\n");
  });
});
