import { describe, expect, it } from "vitest";
import { fork } from "./fork";

const spec = {
  pilotId: "p",
  sandbox: "/home/u/em/run-1/pilot-0",
  jobName: "emanager-abc-p0",
  cores: 4,
  nodes: 1,
  walltimeMinutes: 9.5,
  queue: null,
  project: null,
  envSetup: ["module load gcc/12"],
};

describe("fork adapter (commands and answers; the real runs are in fork.int.test.ts)", () => {
  it("renders a plain bash script that starts the agent, and submits it detached in its own session", () => {
    const s = fork.renderJobScript(spec);
    expect(s.split("\n")[1]).toBe(
      "# emanager-pilot: emanager-abc-p0, 4 core(s), 10 min (the agent keeps the walltime)",
    );
    expect(s).toContain(
      "module load gcc/12\nexec bash /home/u/em/run-1/pilot-0/emanager-agent.sh /home/u/em/run-1/pilot-0",
    );
    const cmd = fork.submitCommand("/home/u/em/run-1/pilot-0/pilot.job");
    expect(cmd).toMatch(
      /^\{ setsid nohup bash -c '.*' emanager-pilot \/home\/u\/em\/run-1\/pilot-0\/pilot\.job > \/home\/u\/em\/run-1\/pilot-0\/bootstrap\.out 2> \/home\/u\/em\/run-1\/pilot-0\/bootstrap\.err < \/dev\/null & echo \$!; \}$/,
    );
    expect(fork.cancelCommand("4242")).toBe(
      "kill -TERM -- -4242 2>/dev/null || kill -TERM 4242 2>/dev/null; true",
    );
  });

  it("reads the PID, and a failed start as a rejection in the shell's words", () => {
    expect(fork.parseSubmit("4242\n", "", 0)).toEqual({ ok: true, jobId: "4242" });
    expect(fork.parseSubmit("", "bash: setsid: command not found\n", 127)).toEqual({
      ok: false,
      code: "REJECTED",
      message: "bash: setsid: command not found",
    });
  });

  it("turns what the status loop printed into states with their reasons", () => {
    const m = fork.parseStatus(
      "1 running\n2 ended 0 \n3 ended 3 \n4 ended 143 TERM\n5 ended 137 \n6 ended \n",
      "",
      ["1", "2", "3", "4", "5", "6", "7"],
    );
    expect(Object.fromEntries(m)).toEqual({
      1: { state: "running", reason: "process running" },
      2: { state: "ended", reason: "the pilot process exited normally (exit code 0)" },
      3: { state: "ended", reason: "the pilot process failed with exit code 3" },
      4: { state: "ended", reason: "the pilot was stopped by SIGTERM (exit code 143)" },
      5: { state: "ended", reason: "the pilot process was killed by signal 9 (exit code 137)" },
      6: {
        state: "ended",
        reason: "the pilot process has exited (no exit status recorded: it was killed outright)",
      },
      // nothing printed for it (the loop was cut short): ask again rather than end the pilot
      7: { state: "unknown", reason: "the status check printed nothing for this process" },
    });
  });
});
