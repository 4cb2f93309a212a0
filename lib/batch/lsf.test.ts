import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLsfProbe, parseLsfTable, parseRunLimits } from "../bundle/lsf-probe";
import { lsf, lsfState, parseBjobs } from "./lsf";

// There is no LSF here: these tests read recorded real outputs (../shared/fixtures/batch/lsf,
// sources in its README) and check the commands EManager would run.
const FIX = path.resolve(process.cwd(), "../shared/fixtures/batch/lsf");
const fx = (f: string) => readFileSync(path.join(FIX, f), "utf8");
const spec = { pilotId: "p", sandbox: "/home/u/emanager/run-1/pilot-0", jobName: "emanager-abc-p0", cores: 32, nodes: 2, walltimeMinutes: 72.13, queue: "normal", project: "TG-1", envSetup: [] };

describe("LSF adapter (on recorded outputs)", () => {
  it("renders #BSUB directives: slots, span over nodes, [h:]mm walltime, queue, project", () => {
    const s = lsf.renderJobScript(spec);
    for (const l of ["#BSUB -n 32", '#BSUB -R "span[ptile=16]"', "#BSUB -W 1:13", "#BSUB -q normal", "#BSUB -P TG-1", "#BSUB -J emanager-abc-p0", "#BSUB -e /home/u/emanager/run-1/pilot-0/bootstrap.err"]) expect(s).toContain(l);
    expect(lsf.renderJobScript({ ...spec, nodes: 1 })).toContain('#BSUB -R "span[hosts=1]"');
    expect(lsf.submitCommand("/home/u/x/pilot.job")).toBe("bsub < /home/u/x/pilot.job");
    expect(() => lsf.renderJobScript({ ...spec, queue: 'q"; id #' })).toThrow();
    expect(() => lsf.cancelCommand("$(reboot)")).toThrow();
  });

  it("reads bsub's job id in both wordings and every recorded rejection in LSF's words", () => {
    expect(lsf.parseSubmit(fx("ood_core_bsub_submitted.txt"), "", 0)).toEqual({ ok: true, jobId: "542935" });
    expect(lsf.parseSubmit(fx("nextflow_bsub_submitted_default_queue.txt"), "", 0)).toEqual({ ok: true, jobId: "2329803" });
    expect(lsf.parseSubmit(fx("aiida_bsub_submitted.txt"), "", 0)).toEqual({ ok: true, jobId: "764254593" });
    expect(lsf.parseSubmit("", fx("ert_bsub_stderr_too_many_processors.txt"), 255)).toEqual({ ok: false, code: "REJECTED", message: "Too many processors requested. Job not submitted." });
    expect(lsf.parseSubmit("", fx("ert-issue8774_bsub_stderr_no_such_queue_prefixed.txt"), 255)).toMatchObject({ code: "REJECTED", message: expect.stringMatching(/^rhel7: No such queue/) });
    // Summit's wrapper prints usage on stdout and the reasons on stderr: the reasons are kept
    const summit = lsf.parseSubmit(fx("dask_jobqueue_bsub_summit_rejected_stdout.txt"), fx("dask_jobqueue_bsub_summit_rejected_stderr.txt"), 255);
    expect(summit).toMatchObject({ code: "REJECTED", message: expect.stringMatching(/^ERROR: Resource strings \(-R\) are not supported/) });
  });

  it("reads bjobs in the delimited, JSON and wide forms, and 'not found' as ended", () => {
    const pipe = parseBjobs(fx("aiida_bjobs_noheader_o_pipe_delim.txt"));
    expect(pipe[0]).toEqual({ id: "764213236", stat: "EXIT", reason: "TERM_RUNLIMIT: job killed after reaching LSF run time limit" });
    expect(pipe.map((r) => r.stat)).toContain("DONE");
    const own = lsf.parseStatus("42|EXIT|1|TERM_OWNER: job killed by owner\n43|RUN|-|-\n", "", ["42", "43"]);
    expect(own.get("42")).toEqual({ state: "ended", reason: "EXIT: exit code 1; TERM_OWNER: job killed by owner" });
    expect(own.get("43")).toEqual({ state: "running", reason: "RUN" });
    const wide = lsf.parseStatus(fx("nextflow_bjobs_w_states_long_names.txt"), "", ["5085604", "5085611", "5085107", "5085607", "5085608", "5085606"]);
    expect([...wide.values()].map((s) => s.state)).toEqual(["queued", "queued", "ended", "unknown", "ended", "ended"]);
    expect(lsf.parseStatus(fx("aiida_bjobs_stderr_job_not_found.txt"), "", ["864220165"]).get("864220165")).toMatchObject({ state: "ended" });
    expect(lsf.parseStatus(fx("ert-issue9185_bjobs_stderr_lsf_is_down.txt"), "", ["7"]).get("7")).toMatchObject({ state: "unknown", reason: expect.stringMatching(/LSF is down/) });
    expect(parseBjobs(fx("ood_core_bjobs_u_a_w_W_two_running.txt")).map((r) => [r.id, r.stat])).toEqual([["542935", "RUN"], ["542936", "RUN"]]);
    expect(lsfState("WEIRD").state).toBe("unknown");
  });
});

describe("LSF probe (on recorded outputs)", () => {
  it("reads hosts, queues, run limits and the default queue into one snapshot", () => {
    const hosts = parseLsfTable(fx("flight-docs_bhosts_openlava_closed_hosts.txt"));
    expect(hosts).toHaveLength(6);
    expect(hosts[4]).toMatchObject({ HOST_NAME: "flight-255", STATUS: "closed", MAX: "2", NJOBS: "2" });
    const limits = parseRunLimits(fx("gc3pie_bjobs_l_done_brutus.txt").replace(/^Job </m, "QUEUE: pub.8h\nJob <"));
    expect(limits.get("pub.8h")).toBe(480 * 60);
    const bqueues = "QUEUE_NAME      PRIO STATUS          MAX JL/U JL/P JL/H NJOBS  PEND   RUN  SUSP\nnormal           30  Open:Active       -    -    -    -     3     1     2     0\nshort            40  Closed:Inact     64    -    -    -     0     0     0     0\n";
    const out = [bqueues, "--limits--", "QUEUE: normal\n  RUNLIMIT\n 1440.0 min\n", "--params--", "DEFAULT_QUEUE = normal", "--hosts--", fx("flight-docs_bhosts_openlava_closed_hosts.txt")].join("\n");
    const snap = parseLsfProbe(out, { resourceId: "r", label: "flight", host: "h", now: new Date("2026-11-25T00:00:00Z") });
    expect(snap.queues.map((q) => [q.name, q.isDefault, q.enabled, q.maxWalltimeSeconds, q.maxCoresPerJob, q.jobsQueued, q.jobsRunning])).toEqual([
      ["normal", true, true, 86400, null, 1, 2],
      ["short", false, false, null, 64, 0, 0],
    ]);
    // the login node (MAX 0) is not a compute host; the full one still counts its slots
    expect(snap).toMatchObject({ batch: "lsf", nodes: 5, coresPerNode: 2 });
    expect(snap.queues[0]).toMatchObject({ coresTotal: 10, coresFree: 8 });
  });
});
