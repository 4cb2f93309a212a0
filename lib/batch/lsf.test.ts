import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lsf, lsfState, parseBjobs } from "./lsf";

// There is no LSF here: these tests read recorded real outputs (../shared/fixtures/batch/lsf,
// sources in its README) and check the commands EManager would run.
const FIX = path.resolve(process.cwd(), "../shared/fixtures/batch/lsf");
const fx = (f: string) => readFileSync(path.join(FIX, f), "utf8");
const spec = {
  pilotId: "p",
  sandbox: "/home/u/emanager/run-1/pilot-0",
  jobName: "emanager-abc-p0",
  cores: 32,
  nodes: 2,
  walltimeMinutes: 72.13,
  queue: "normal",
  project: "TG-1",
  envSetup: [],
};

describe("LSF adapter (on recorded outputs)", () => {
  it("renders #BSUB directives: slots, span over nodes, [h:]mm walltime, queue, project", () => {
    const s = lsf.renderJobScript(spec);
    for (const l of [
      "#BSUB -n 32",
      '#BSUB -R "span[ptile=16]"',
      "#BSUB -W 1:13",
      "#BSUB -q normal",
      "#BSUB -P TG-1",
      "#BSUB -J emanager-abc-p0",
      "#BSUB -e /home/u/emanager/run-1/pilot-0/bootstrap.err",
    ])
      expect(s).toContain(l);
    expect(lsf.renderJobScript({ ...spec, nodes: 1 })).toContain('#BSUB -R "span[hosts=1]"');
    expect(lsf.submitCommand("/home/u/x/pilot.job")).toBe("bsub < /home/u/x/pilot.job");
    expect(() => lsf.renderJobScript({ ...spec, queue: 'q"; id #' })).toThrow();
    expect(() => lsf.cancelCommand("$(reboot)")).toThrow();
  });

  it("reads bsub's job id in both wordings and every recorded rejection in LSF's words", () => {
    expect(lsf.parseSubmit(fx("ood_core_bsub_submitted.txt"), "", 0)).toEqual({ ok: true, jobId: "542935" });
    expect(lsf.parseSubmit(fx("nextflow_bsub_submitted_default_queue.txt"), "", 0)).toEqual({
      ok: true,
      jobId: "2329803",
    });
    expect(lsf.parseSubmit(fx("aiida_bsub_submitted.txt"), "", 0)).toEqual({ ok: true, jobId: "764254593" });
    expect(lsf.parseSubmit("", fx("ert_bsub_stderr_too_many_processors.txt"), 255)).toEqual({
      ok: false,
      code: "REJECTED",
      message: "Too many processors requested. Job not submitted.",
    });
    expect(
      lsf.parseSubmit("", fx("ert-issue8774_bsub_stderr_no_such_queue_prefixed.txt"), 255),
    ).toMatchObject({ code: "REJECTED", message: expect.stringMatching(/^rhel7: No such queue/) });
    // Summit's wrapper prints usage on stdout and the reasons on stderr: the reasons are kept
    const summit = lsf.parseSubmit(
      fx("dask_jobqueue_bsub_summit_rejected_stdout.txt"),
      fx("dask_jobqueue_bsub_summit_rejected_stderr.txt"),
      255,
    );
    expect(summit).toMatchObject({
      code: "REJECTED",
      message: expect.stringMatching(/^ERROR: Resource strings \(-R\) are not supported/),
    });
  });

  it("reads bjobs in the delimited, JSON and wide forms, and 'not found' as ended", () => {
    const pipe = parseBjobs(fx("aiida_bjobs_noheader_o_pipe_delim.txt"));
    expect(pipe[0]).toEqual({
      id: "764213236",
      stat: "EXIT",
      reason: "TERM_RUNLIMIT: job killed after reaching LSF run time limit",
    });
    expect(pipe.map((r) => r.stat)).toContain("DONE");
    const own = lsf.parseStatus("42|EXIT|1|TERM_OWNER: job killed by owner\n43|RUN|-|-\n", "", ["42", "43"]);
    expect(own.get("42")).toEqual({
      state: "ended",
      reason: "EXIT: exit code 1; TERM_OWNER: job killed by owner",
    });
    expect(own.get("43")).toEqual({ state: "running", reason: "RUN" });
    const wide = lsf.parseStatus(fx("nextflow_bjobs_w_states_long_names.txt"), "", [
      "5085604",
      "5085611",
      "5085107",
      "5085607",
      "5085608",
      "5085606",
    ]);
    expect([...wide.values()].map((s) => s.state)).toEqual([
      "queued",
      "queued",
      "ended",
      "unknown",
      "ended",
      "ended",
    ]);
    expect(
      lsf.parseStatus(fx("aiida_bjobs_stderr_job_not_found.txt"), "", ["864220165"]).get("864220165"),
    ).toMatchObject({ state: "ended" });
    expect(
      lsf.parseStatus(fx("ert-issue9185_bjobs_stderr_lsf_is_down.txt"), "", ["7"]).get("7"),
    ).toMatchObject({ state: "unknown", reason: expect.stringMatching(/LSF is down/) });
    expect(parseBjobs(fx("ood_core_bjobs_u_a_w_W_two_running.txt")).map((r) => [r.id, r.stat])).toEqual([
      ["542935", "RUN"],
      ["542936", "RUN"],
    ]);
    expect(lsfState("WEIRD").state).toBe("unknown");
  });

  it("reads bjobs -json records, and leaves out those without a JOBID (nothing to match them to)", () => {
    const rows = parseBjobs(fx("batcheuphoria_bjobs_a_hms_json_o_states_finish_L.txt"));
    expect(rows.map((r) => r.stat)).toEqual(["EXIT", "EXIT", "EXIT", "DONE", "DONE", "DONE"]);
    expect(
      lsf.parseStatus(fx("batcheuphoria_bjobs_a_hms_json_o_extended_done.txt"), "", ["22005"]).get("22005")
        ?.state,
    ).toBe("ended");
    expect(parseBjobs(fx("buildtest_bjobs_o_json_psusp_ascent.txt"))).toEqual([]);
    expect(
      parseBjobs('{"COMMAND":"bjobs","RECORDS":[{"JOBID":"9","STAT":"PSUSP"}]}').map(
        (r) => lsfState(r.stat).state,
      ),
    ).toEqual(["queued"]);
    expect(parseBjobs("{not json")).toEqual([]);
  });

  it("maps every LSF state: pending and held wait, suspended after start still holds its slots", () => {
    const states = ["PEND", "PSUSP", "RUN", "USUSP", "SSUSP", "DONE", "EXIT", "ZOMBI", "UNKWN"].map(
      (s) => lsfState(s).state,
    );
    expect(states).toEqual([
      "queued",
      "queued",
      "running",
      "running",
      "running",
      "ended",
      "ended",
      "ended",
      "unknown",
    ]);
  });

  it("keeps a long job name whole (LSF takes long names) and several ids in one bjobs call", () => {
    const long = "emanager-" + "x".repeat(50);
    expect(lsf.renderJobScript({ ...spec, jobName: long })).toContain(`#BSUB -J ${long}\n`);
    expect(lsf.statusCommand(["1", "2"])).toBe(
      `bjobs -noheader -o 'jobid stat exit_code exit_reason delimiter="|"' 1 2 2>&1`,
    );
  });
});
