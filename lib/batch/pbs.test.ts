import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePbsProbe, parsePbsNodes } from "../bundle/pbs-probe";
import { parsePbsBlocks, pbsDuration } from "./pbs-attrs";
import { pbs, pbsState } from "./pbs";

// There is no PBS here: these tests read recorded real outputs (../shared/fixtures/batch, with
// their sources in its README) and check the commands EManager would run.
const FIX = path.resolve(process.cwd(), "../shared/fixtures/batch");
const fx = (f: string) => readFileSync(path.join(FIX, f), "utf8");
const spec = { pilotId: "p", sandbox: "/home/u/emanager/run-1/pilot-0", jobName: "emanager-abc-p0", cores: 20, nodes: 2, walltimeMinutes: 72.13, queue: "normal", project: "TG-1", envSetup: ["module load gcc/12"] };

describe("PBS adapter (PBS Pro and Torque, on recorded outputs)", () => {
  it("renders one script both read: nodes=N:ppn=M, walltime, queue, account, output files", () => {
    const s = pbs.renderJobScript(spec);
    for (const l of ["#PBS -l nodes=2:ppn=10", "#PBS -l walltime=01:13:00", "#PBS -q normal", "#PBS -A TG-1", "#PBS -o /home/u/emanager/run-1/pilot-0/bootstrap.out", "#PBS -N emanager-abc-p0"]) expect(s).toContain(l);
    expect(s).toContain("module load gcc/12\nexec bash /home/u/emanager/run-1/pilot-0/emanager-agent.sh /home/u/emanager/run-1/pilot-0");
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
    expect(pbs.parseSubmit(fx("pbspro/unsw_katana_qsub_jobid.txt"), "", 0)).toEqual({ ok: true, jobId: "1237.kman.restech.unsw.edu.au" });
    expect(pbs.parseSubmit(fx("pbspro/openpbs_pr2237_qsub_J_array_jobid.txt"), "", 0)).toMatchObject({ ok: false, code: "PARSE", message: expect.stringMatching(/array job/) });
    expect(pbs.parseSubmit("", fx("pbspro/alcf-pr568_qsub_stderr_rejected_by_all_destinations.txt"), 1)).toEqual({ ok: false, code: "REJECTED", message: "Job rejected by all possible destinations" });
    expect(pbs.parseSubmit("", fx("torque/canu-issue891_qsub_stderr_unknown_queue.txt"), 1)).toMatchObject({ code: "REJECTED", message: "submit error (Unknown queue MSG=requested queue not found)" });
    expect(pbs.parseSubmit("", fx("torque/gc3pie_qsub_stderr_exceeds_queue_limits.txt"), 190)).toMatchObject({ code: "REJECTED", message: expect.stringMatching(/^Job exceeds queue resource limits/) });
  });

  it("reads qstat -f with TAB continuation lines: queued, held (with its comment), running", () => {
    const text = fx("pbspro/aiida_qstat_f_queued_held_running.txt");
    const blocks = parsePbsBlocks(text);
    expect(blocks.map((b) => b.name)).toEqual(["68350.mycluster", "68351.mycluster", "69301.mycluster", "69302.mycluster", "74164.mycluster", "74165.mycluster"]);
    expect(blocks[0]!.attrs.get("Error_Path")).toBe("mycluster.cluster:/home/usernum1/scratch/cptest/scaletest/PTOscaletest/testjob.err");
    const m = pbs.parseStatus(text, "", ["68350", "69301", "69302.mycluster", "99999"]);
    expect(m.get("68350")).toEqual({ state: "queued", reason: "Q (queued): Not Running: Node is in an ineligible state: offline" });
    expect(m.get("69301")?.state).toBe("running");
    expect(m.get("69302.mycluster")).toMatchObject({ state: "queued", reason: expect.stringMatching(/^H \(held\)/) });
    expect(m.get("99999")).toMatchObject({ state: "ended" });
  });

  it("reads Torque's completed jobs with their exit status, and Unknown Job Id as ended", () => {
    const m = pbs.parseStatus(fx("torque/batcheuphoria_qstat_f_torque_dkfz_completed_running.txt"), "", ["14973441", "14973792", "14973766", "14973745"]);
    expect([...m.values()].map((s) => s.state)).toEqual(["ended", "queued", "running", "queued"]);
    expect(m.get("14973441")?.reason).toBe("C (completed): exit_status 0");
    expect(pbs.parseStatus(fx("torque/buildtest_qstat_f_torque7_completed_req_information.txt"), "", ["40680075.e4spro-cluster"]).get("40680075.e4spro-cluster")).toMatchObject({ state: "ended", reason: expect.stringMatching(/exit_status 0/) });
    expect(pbs.parseStatus(fx("torque/gc3pie_qstat_stderr_unknown_job_id.txt"), "", ["123"]).get("123")).toMatchObject({ state: "ended" });
    // a failing qstat says nothing about the job: unknown, so the engine asks again rather than failing the pilot
    expect(pbs.parseStatus(fx("pbspro/ert_qstat_stderr_invalid_credential.txt"), "", ["5"]).get("5")).toMatchObject({ state: "unknown", reason: "qstat failed: Invalid credential" });
  });

  it("maps every job state letter", () => {
    expect(["Q", "H", "W", "T", "M", "S", "R", "B", "E", "C", "F", "X"].map((l) => pbsState(l).state)).toEqual(["queued", "queued", "queued", "queued", "queued", "queued", "running", "running", "running", "ended", "ended", "ended"]);
    expect(pbsState("Z").state).toBe("unknown");
  });
});

describe("PBS probe (on recorded outputs)", () => {
  it("reads nodes from pbsnodes -a in both dialects: PBS Pro's ncpus and Torque's np with its jobs list", () => {
    const pro = parsePbsNodes(fx("pbspro/unsw_katana_pbsnodes_node_jobbusy.txt"));
    expect(pro).toEqual([{ name: "k254", cores: 32, coresUsed: 32, state: "job-busy" }]);
    const torque = parsePbsNodes(fx("torque/qtop_pbsnodes_a_ral_tier1.txt"));
    expect(torque.length).toBeGreaterThan(800);
    expect(torque[0]).toEqual({ name: "lcg0835.gridpp.rl.ac.uk", cores: 8, coresUsed: 8, state: "job-exclusive" });
    expect(torque.some((n) => n.state === "down,offline")).toBe(true);
  });

  it("builds one snapshot from qstat -Bf, qstat -Qf and pbsnodes -a", () => {
    const out = ["Server: srv", "    default_queue = lbl-cluster", "--queues--", fx("torque/buildtest_qstat_Qf_torque.txt"), "--nodes--", fx("torque/qtop_pbsnodes_a_ral_tier1.txt")].join("\n");
    const snap = parsePbsProbe(out, { resourceId: "r", label: "ral", host: "h", now: new Date("2026-11-25T00:00:00Z") });
    const up = parsePbsNodes(fx("torque/qtop_pbsnodes_a_ral_tier1.txt")).filter((n) => !/down|offline/.test(n.state));
    expect(snap.queues).toHaveLength(1);
    expect(snap.queues[0]).toMatchObject({ name: "lbl-cluster", isDefault: true, enabled: true, maxWalltimeSeconds: null, jobsQueued: 0, jobsRunning: 0, nodesTotal: up.length });
    expect(snap.queues[0]!.coresTotal).toBe(up.reduce((s, n) => s + n.cores, 0));
    expect(snap).toMatchObject({ batch: "pbs", nodes: up.length, source: "probe" });
    expect(pbsDuration("48:00:00")).toBe(172800);
    expect(pbsDuration("nonsense")).toBeNull();
  });
});
