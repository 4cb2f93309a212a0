import { describe, expect, it } from "vitest";
import type { PilotJobSpec } from "./types";
import { getBatchAdapter } from "./index";

/**
 * Shell and directive injection through every field of a pilot job, for every batch system:
 * the value is refused (zod throws) before a script or a command line exists. `#PBS`/`#BSUB`
 * lines cannot be quoted, which is why refusal, not escaping, is the rule.
 */
const KINDS = ["slurm", "pbs", "lsf", "sge", "fork"] as const;
const BAD = [
  "a;reboot",
  "$(id)",
  "a`id`",
  "a'b",
  'a"b',
  "a\nb",
  "a\n#PBS -l nodes=999",
  "a\n#$ -l h_rt=999:00:00",
  "a b",
  "a|b",
  "a&b",
  "a>b",
  "${HOME}",
  "",
];
const spec: PilotJobSpec = {
  pilotId: "p",
  sandbox: "/home/u/em/run-1/pilot-0",
  jobName: "emanager-abc-p0",
  cores: 4,
  nodes: 1,
  walltimeMinutes: 10,
  queue: "normal",
  project: "TG-1",
  envSetup: ["module load gcc/12"],
};

describe("every adapter refuses injections before any command is built", () => {
  it.each(KINDS)("%s: a clean spec renders, and the commands quote what they carry", (kind) => {
    const a = getBatchAdapter(kind);
    expect(a.renderJobScript(spec)).toContain("emanager-agent.sh");
    expect(a.submitCommand("/home/u/em/run-1/pilot-0/pilot.job")).toContain(
      "/home/u/em/run-1/pilot-0/pilot.job",
    );
    expect(a.cancelCommand("1234")).toContain("1234");
  });

  for (const kind of KINDS) {
    const a = getBatchAdapter(kind);
    for (const field of ["queue", "project", "jobName"] as const) {
      it.each(BAD.filter((b) => !(b === "" && field !== "jobName")))(`${kind}: ${field} %j`, (bad) => {
        expect(() => a.renderJobScript({ ...spec, [field]: bad })).toThrow();
      });
    }
    it(`${kind}: sandbox, environment lines, script paths and job ids`, () => {
      for (const bad of ["/tmp/$(id)", "/tmp/a b", "/tmp/../etc", "relative/path", "/tmp/a;b", "/tmp/a\nb"]) {
        expect(() => a.renderJobScript({ ...spec, sandbox: bad }), bad).toThrow();
        expect(() => a.submitCommand(bad), bad).toThrow();
      }
      for (const bad of ["export A=`id`", "export A=$(id)", "rm -rf ~", "module load x\nreboot"])
        expect(() => a.renderJobScript({ ...spec, envSetup: [bad] }), bad).toThrow();
      for (const bad of ["1; reboot", "$(id)", "12'", "1 2", "", "-1", "1\n2"]) {
        expect(() => a.statusCommand([bad]), bad).toThrow();
        expect(() => a.cancelCommand(bad), bad).toThrow();
      }
    });
  }

  it("keeps the error for a batch system it does not know", () => {
    expect(() => getBatchAdapter("condor")).toThrow(/condor is not one EManager can submit to/);
  });
});
