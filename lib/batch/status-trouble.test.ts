import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lsf } from "./lsf";
import { parsePbsBlocks } from "./pbs-attrs";
import { pbs } from "./pbs";
import { slurm } from "./slurm";

// Recorded real outputs: the project's own (lib/batch/fixtures, README there says where each was
// recorded) and the shared ones. A client that could not reach its batch system leaves the job
// unknown for that poll; only the batch system's own word that a job has gone reads as ended.
const own = (f: string) => readFileSync(path.resolve(process.cwd(), "lib/batch/fixtures", f), "utf8");
const shared = (f: string) =>
  readFileSync(path.resolve(process.cwd(), "../shared/fixtures/batch", f), "utf8");

describe("a status command whose client could not reach its batch system", () => {
  it.each([
    ["slurm/loopback_scontrol_o_show_job_stderr_connect_failure.txt", /Unable to contact slurm controller/],
    ["slurm/loopback_scontrol_o_show_job_stderr_socket_timed_out.txt", /Socket timed out/],
    ["slurm/loopback_scontrol_o_show_job_stderr_zero_bytes.txt", /Zero Bytes were transmitted/],
    ["slurm/loopback_scontrol_o_show_job_stderr_missing_socket.txt", /Unexpected missing socket error/],
  ])("SLURM %s: unknown, with the client's words", (f, words) => {
    // as EManager's status command prints it: the mark line, then scontrol's first line
    const st = slurm.parseStatus(`emanager-job 4242\n${own(f)}`, "", ["4242"], 1).get("4242")!;
    expect(st.state).toBe("unknown");
    expect(st.reason).toMatch(words);
  });

  it("SLURM: only 'Invalid job id specified' for that very id means the job has gone", () => {
    const gone = own("slurm/loopback_scontrol_o_show_job_stderr_invalid_job_id.txt");
    const trouble = own("slurm/loopback_scontrol_o_show_job_stderr_zero_bytes.txt");
    const m = slurm.parseStatus(`emanager-job 1\n${gone}emanager-job 2\n${trouble}`, "", ["1", "2"], 1);
    expect(m.get("1")).toEqual({ state: "ended", reason: "the controller no longer knows the job" });
    expect(m.get("2")?.state).toBe("unknown");
    // an answer naming no id cannot be pinned on one of several jobs
    expect(slurm.parseStatus(gone, "", ["1", "2"], 1).get("1")?.state).toBe("unknown");
    expect(slurm.parseStatus("", "", ["7"], 0).get("7")).toEqual({
      state: "unknown",
      reason: "scontrol printed nothing about the job (exit code 0)",
    });
  });

  it("PBS: pbs_iff cannot connect, invalid credential, no server: unknown; Unknown Job Id and Job has finished: ended", () => {
    const iff = pbs
      .parseStatus(own("pbspro/ert_qstat_stderr_pbs_iff_cannot_connect.txt"), "", ["5.srv"], 2)
      .get("5.srv")!;
    expect(iff).toEqual({
      state: "unknown",
      reason: "qstat did not answer: pbs_iff: cannot connect to host",
    });
    expect(
      pbs.parseStatus(shared("pbspro/ert_qstat_stderr_invalid_credential.txt"), "", ["5"], 2).get("5")?.state,
    ).toBe("unknown");
    expect(
      pbs
        .parseStatus("qstat: cannot connect to server pbs01 (errno=111) Connection refused\n", "", ["5"], 2)
        .get("5")?.state,
    ).toBe("unknown");
    expect(
      pbs
        .parseStatus(
          "Cannot connect to specified server host 'pbs01'.\nqstat: cannot connect to server pbs01 (errno=15096) Cannot connect to port 15001 in socket connection\n",
          "",
          ["5"],
          2,
        )
        .get("5")?.state,
    ).toBe("unknown");
    expect(
      pbs.parseStatus(own("torque/user-report_qstat_stderr_trqauthd.txt"), "", ["5"], 1).get("5"),
    ).toEqual({
      state: "unknown",
      reason:
        "qstat did not answer: cannot connect to server (null) (errno=15137) could not connect to trqauthd",
    });
    expect(
      pbs.parseStatus(own("torque/site-kb_qstat_stderr_connection_refused.txt"), "", ["5"], 1).get("5")
        ?.state,
    ).toBe("unknown");
    expect(
      pbs.parseStatus(shared("torque/gc3pie_qstat_stderr_unknown_job_id.txt"), "", ["123"], 153).get("123")
        ?.state,
    ).toBe("ended");
    expect(
      pbs
        .parseStatus(
          "qstat: 77.srv Job has finished, use -x or -H to obtain historical job information\n",
          "",
          ["77"],
          35,
        )
        .get("77")?.state,
    ).toBe("ended");
    expect(pbs.parseStatus("", "", ["8"], 0).get("8")?.state).toBe("unknown");
  });

  it("LSF: Cannot connect to LSF and LSF is down: unknown; Job <id> is not found: ended", () => {
    expect(
      lsf
        .parseStatus(own("lsf/lsf-client_bjobs_stderr_cannot_connect_please_wait.txt"), "", ["9"], 255)
        .get("9"),
    ).toEqual({ state: "unknown", reason: "bjobs did not answer: Cannot connect to LSF. Please wait ..." });
    expect(
      lsf.parseStatus(shared("lsf/ert-issue9185_bjobs_stderr_lsf_is_down.txt"), "", ["9"], 255).get("9")
        ?.state,
    ).toBe("unknown");
    expect(
      lsf.parseStatus(own("lsf/agent-notes_bjobs_stderr_master_lim_down.txt"), "", ["9"], 255).get("9"),
    ).toEqual({ state: "unknown", reason: "bjobs did not answer: Master LIM is down; try later" });
    expect(
      lsf
        .parseStatus(shared("lsf/aiida_bjobs_stderr_job_not_found.txt"), "", ["864220165"], 255)
        .get("864220165")?.state,
    ).toBe("ended");
    expect(lsf.parseStatus("", "", ["9"], 0).get("9")?.state).toBe("unknown");
  });
});

describe("Torque qstat -f records with unindented continuation lines", () => {
  // The recorded Torque 7 record (shared fixture) with a long sched_hint whose wrapped part
  // Torque printed from column 0, before job_state and exit_status: the record must stay whole.
  const base = shared("torque/buildtest_qstat_f_torque7_completed_req_information.txt");
  const hint =
    "    sched_hint = Post job file processing error; job 40680075.e4spro-cluster on host ac-d160-0-0/0\nUnknown resource type  REJHOST=ac-d160-0-0 MSG=invalid home directory '/home/adaptive50' specified\n";
  const text = base.replace("    job_state = C\n", `${hint}    job_state = C\n`);

  it("keeps job_state, exit_status and the attributes after the unindented line", () => {
    expect(text).not.toBe(base);
    const blocks = parsePbsBlocks(text);
    expect(blocks.map((b) => b.name)).toEqual(["40680075.e4spro-cluster"]);
    expect(blocks[0]!.attrs.get("job_state")).toBe("C");
    expect(blocks[0]!.attrs.get("exit_status")).toBe("0");
    expect(blocks[0]!.attrs.get("sched_hint")).toMatch(/ac-d160-0-0\/0Unknown resource type {2}REJHOST/);
    expect(pbs.parseStatus(text, "", ["40680075"], 0).get("40680075")).toEqual({
      state: "ended",
      reason: "C (completed): exit_status 0",
    });
  });

  it("still starts a node block at a bare node name in pbsnodes -a", () => {
    const nodes = parsePbsBlocks("node01\n     state = free\n     np = 4\n\nnode02\n     state = down\n");
    expect(nodes.map((b) => [b.name, b.attrs.get("state")])).toEqual([
      ["node01", "free"],
      ["node02", "down"],
    ]);
  });
});

describe("submission errors: the batch system's reason, once", () => {
  it("strips sbatch's prefix and 'Batch job submission failed:'", () => {
    expect(
      slurm.parseSubmit("", "sbatch: error: Batch job submission failed: Invalid qos specification\n", 1),
    ).toEqual({ ok: false, code: "REJECTED", message: "Invalid qos specification" });
    expect(
      slurm.parseSubmit("", own("slurm/loopback_sbatch_stderr_partition_inactive.txt"), 1),
    ).toMatchObject({ message: "Required partition not available (inactive or drain)" });
    expect(
      slurm.parseSubmit("", own("slurm/loopback_sbatch_stderr_invalid_partition_two_lines.txt"), 1),
    ).toMatchObject({ message: "Invalid partition name specified; invalid partition specified: nosuch" });
    expect(
      slurm.parseSubmit(
        "",
        "sbatch.bin: error: Batch job submission failed: Invalid account or account/partition combination specified\n",
        1,
      ),
    ).toMatchObject({ message: "Invalid account or account/partition combination specified" });
    // a site wrapper quoting the real program, and the same line twice
    expect(
      slurm.parseSubmit(
        "",
        "/opt/site/bin/sbatch_wrapper: sbatch: error: Batch job submission failed: Job violates accounting/QOS policy\nsbatch: error: Batch job submission failed: Job violates accounting/QOS policy\n",
        1,
      ),
    ).toMatchObject({ message: "Job violates accounting/QOS policy" });
  });

  it("strips qsub's and bsub's prefixes", () => {
    expect(
      pbs.parseSubmit("", "qsub: submit error (Unknown queue MSG=requested queue not found)\n", 1),
    ).toMatchObject({ message: "submit error (Unknown queue MSG=requested queue not found)" });
    expect(pbs.parseSubmit("", "qsub.bin: Job rejected by all possible destinations\n", 1)).toMatchObject({
      message: "Job rejected by all possible destinations",
    });
    expect(lsf.parseSubmit("", "bsub: No such queue. Job not submitted.\n", 255)).toMatchObject({
      message: "No such queue. Job not submitted.",
    });
  });
});
