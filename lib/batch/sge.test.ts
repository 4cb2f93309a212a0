import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseQstatXml, sge, sgeState } from "./sge";
import type { PilotJobSpec } from "./types";

/** The Grid Engine adapter on outputs recorded from the loopback cell (lib/batch/fixtures/sge). */
const fx = (f: string) => readFileSync(path.resolve(process.cwd(), "lib/batch/fixtures/sge", f), "utf8");
const spec: PilotJobSpec = {
  pilotId: "p",
  sandbox: "/home/u/em/run-1/pilot-0",
  jobName: "emanager-abc-p0",
  cores: 4,
  nodes: 1,
  walltimeMinutes: 90,
  queue: "all.q",
  project: "proj1",
  envSetup: ["module load gcc"],
};

describe("sge job script and submission", () => {
  it("writes #$ directives for name, shell, directory, slots, h_rt, output, queue and project", () => {
    const s = sge.renderJobScript(spec);
    for (const l of [
      "#$ -N emanager-abc-p0",
      "#$ -S /bin/bash",
      "#$ -wd /home/u/em/run-1/pilot-0",
      "#$ -pe smp 4",
      "#$ -l h_rt=01:30:00",
      "#$ -o /home/u/em/run-1/pilot-0/bootstrap.out",
      "#$ -e /home/u/em/run-1/pilot-0/bootstrap.err",
      "#$ -q all.q",
      "#$ -P proj1",
    ]) {
      expect(s.split("\n")).toContain(l);
    }
    expect(s).toContain("/home/u/em/run-1/pilot-0/emanager-agent.sh");
  });
  it("asks for no parallel environment for one core, and renames a name that starts with a digit", () => {
    const s = sge.renderJobScript({ ...spec, cores: 1, jobName: "1abc", queue: null, project: null });
    expect(s).not.toContain("-pe");
    expect(s).toContain("#$ -N p1abc");
    expect(s).not.toMatch(/-q |-P /);
  });
  it("submits with -terse -w e, the path single-quoted", () => {
    expect(sge.submitCommand("/home/u/em/run-1/pilot-0/pilot.job")).toMatch(
      /^qsub -terse -w e '?\/home\/u\/em\/run-1\/pilot-0\/pilot.job'?$/,
    );
  });
  it("reads the id from -terse, and a rejection in qsub's own words without its frame", () => {
    expect(sge.parseSubmit(fx("loopback_sge_qsub_terse_stdout.txt"), "", 0)).toEqual({
      ok: true,
      jobId: "1",
    });
    expect(sge.parseSubmit("", fx("loopback_sge_qsub_we_stderr_no_suitable_queues.txt"), 1)).toEqual({
      ok: false,
      code: "REJECTED",
      message: "no suitable queues",
    });
    expect(sge.parseSubmit("", fx("loopback_sge_qsub_we_stderr_unknown_queue.txt"), 1)).toEqual({
      ok: false,
      code: "REJECTED",
      message: 'Job was rejected because job requests unknown queue "nosuch.q"',
    });
    expect(sge.parseSubmit('Your job 5 ("x") has been submitted', "", 0)).toMatchObject({
      ok: false,
      code: "PARSE",
    });
  });
});

describe("sge status", () => {
  it("maps state letters", () => {
    expect(sgeState("qw").state).toBe("queued");
    expect(sgeState("hqw")).toEqual({ state: "queued", reason: "hqw (held)" });
    expect(sgeState("Eqw").state).toBe("queued");
    expect(sgeState("r").state).toBe("running");
    expect(sgeState("t").state).toBe("running");
    expect(sgeState("Rr").state).toBe("running");
    expect(sgeState("dr")).toEqual({ state: "running", reason: "dr (being deleted)" });
    expect(sgeState("rs").state).toBe("queued");
    expect(sgeState("z").state).toBe("ended");
    expect(sgeState("").state).toBe("unknown");
    expect(sgeState("<x>").state).toBe("unknown");
  });
  it("reads qstat -xml's running and pending lists", () => {
    const xml = fx("loopback_sge_qstat_xml_running_pending_held.txt");
    expect([...parseQstatXml(xml)]).toEqual([
      ["1", "r"],
      ["4", "qw"],
      ["2", "qw"],
      ["8", "hqw"],
    ]);
    const m = sge.parseStatus(xml, "", ["1", "2", "8"], 0);
    expect(m.get("1")!.state).toBe("running");
    expect(m.get("2")!.state).toBe("queued");
    expect(m.get("8")!.reason).toContain("held");
  });
  it("ends a job only on qmaster's 'do not exist', with qacct's exit status when it has one", () => {
    const xml = fx("loopback_sge_qstat_xml_running_pending_held.txt");
    const out = `${xml}emanager-job 9\n${fx("loopback_sge_qstat_j_stderr_do_not_exist.txt")}failed       0    \nexit_status  3                   \nemanager-job 10\nFollowing jobs do not exist: \n10\nerror: job id 10 not found\n`;
    const m = sge.parseStatus(out, "", ["1", "9", "10"], 1);
    expect(m.get("1")!.state).toBe("running");
    expect(m.get("9")).toEqual({
      state: "ended",
      reason: "qmaster no longer knows the job; qacct: exit_status 3",
    });
    expect(m.get("10")).toEqual({ state: "ended", reason: "qmaster no longer knows the job" });
  });
  it("leaves every job unknown when the client cannot reach qmaster", () => {
    const refused = fx("loopback_sge_qstat_xml_stderr_connection_refused.txt");
    const out = `${refused}emanager-job 1\n${fx("loopback_sge_qstat_j_stderr_connection_refused.txt")}`;
    const st = sge.parseStatus(out, "", ["1"], 1).get("1")!;
    expect(st.state).toBe("unknown");
    expect(st.reason).toMatch(/qstat did not answer: commlib error: got select error \(Connection refused\)/);
    // qacct's "not found" alone is not qmaster's word
    expect(sge.parseStatus("error: job id 999 not found\n", "", ["999"], 1).get("999")!.state).toBe(
      "unknown",
    );
  });
  it("builds a status command that quotes ids and marks each unlisted one", () => {
    const c = sge.statusCommand(["12", "13"]);
    expect(c).toMatch(/for j in '?12'? '?13'?;/);
    expect(c).toContain("qstat -xml");
    expect(c).toContain('qstat -j "$j"');
    expect(sge.cancelCommand("12")).toMatch(/^qdel '?12'?$/);
  });
});
