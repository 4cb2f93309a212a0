import { describe, expect, it } from "vitest";
import { fork } from "./fork";
import { getBatchAdapter } from "./index";
import { local } from "./local";

// The `local` resource's adapter: the fork adapter with `local:<pid>` job ids (what local pilots
// have always been called, so an older server's pilots are adopted) and a cancel that wakes a stopped agent.
describe("the local adapter", () => {
  it("is the fork adapter's script and submission, with the job id as local:<pid>", () => {
    expect(getBatchAdapter("local")).toBe(local);
    const spec = {
      pilotId: "p",
      sandbox: "/tmp/sb",
      jobName: "emanager-p",
      cores: 2,
      nodes: 1,
      walltimeMinutes: 5,
      queue: null,
      project: null,
      envSetup: [],
    };
    expect(local.renderJobScript(spec)).toBe(fork.renderJobScript(spec));
    expect(
      local.submitCommand("/tmp/sb/pilot.job").startsWith(`${fork.submitCommand("/tmp/sb/pilot.job")} | `),
    ).toBe(true);
    expect(local.parseSubmit("4242\n", "", 0)).toEqual({ ok: true, jobId: "local:4242" });
    expect(local.parseSubmit("", "setsid: failed", 1)).toMatchObject({ ok: false, code: "REJECTED" });
  });

  it("asks about and reads back the pids behind local ids", () => {
    expect(local.statusCommand(["local:11", "local:12"])).toBe(fork.statusCommand(["11", "12"]));
    const m = local.parseStatus("11 running\n12 ended 0\n", "", ["local:11", "local:12", "local:13"], 0);
    expect([...m]).toEqual([
      ["local:11", { state: "running", reason: "process running" }],
      ["local:12", { state: "ended", reason: "the pilot process exited normally (exit code 0)" }],
      ["local:13", { state: "unknown", reason: "the status check printed nothing for this process" }],
    ]);
  });

  it("cancels the process group and then continues it, so a stopped agent acts on the SIGTERM", () => {
    const c = local.cancelCommand("local:77");
    expect(c.startsWith(fork.cancelCommand("77"))).toBe(true);
    expect(c.endsWith("; kill -CONT -- -77 2>/dev/null; true")).toBe(true);
  });

  it("refuses an id that is not local:<pid>", () => {
    expect(() => local.cancelCommand("77")).toThrow(/not a local job id/);
    expect(() => local.statusCommand(["local:7; rm -rf ~"])).toThrow();
  });
});
