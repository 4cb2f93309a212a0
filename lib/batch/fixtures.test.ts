import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBhosts, parseBqueues, parseLsfProbe } from "../bundle/lsf-probe";
import { fixtureFiles, judge } from "../test-support/batch-fixture-rules";
import { parsePbsNodes, parsePbsProbe } from "../bundle/pbs-probe";
import { parseSlurmProbe } from "../bundle/slurm-probe";
import { fork } from "./fork";
import { lsf, parseBjobs } from "./lsf";
import { pbs } from "./pbs";
import { parsePbsAny, parseQstatTable } from "./pbs-attrs";
import { sge } from "./sge";
import { parseSgeProbe } from "../bundle/sge-probe";
import { slurm } from "./slurm";

/**
 * Every recorded batch-system output, in ../shared/fixtures/batch and in the project's own
 * lib/batch/fixtures, is read by one of EManager's parsers or is a format EManager never asks
 * for, with the reason (lib/batch/fixture-rules.ts). A new file without a rule, or a parser
 * that throws or reads nothing, fails this test.
 */
const SHARED = path.resolve(process.cwd(), "../shared/fixtures/batch");
const OWN = path.resolve(process.cwd(), "lib/batch/fixtures");
const ident = { resourceId: "r", label: "l", host: "h", now: new Date(0) };
const ROOTS = [SHARED, OWN];
const all = ROOTS.flatMap((root) =>
  fixtureFiles(root).map((f) => ({ root, file: f, label: `${root === OWN ? "own" : "shared"}:${f}` })),
);

describe("every recorded batch output is read or explained", () => {
  const files = all.map((x) => x.label);

  it("has the 106 shared files and the project's own", () => {
    expect(fixtureFiles(SHARED).length).toBe(106);
    expect(fixtureFiles(OWN).length).toBeGreaterThanOrEqual(11);
  });

  it.each(all.map((x) => [x.label, x] as const))("%s", (_l, x) => {
    judge(x.file, readFileSync(path.join(x.root, x.file), "utf8"));
  });

  it("the rule fails for a recorded output no rule names, and for one its parser misreads", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "em-fixture-rule-"));
    mkdirSync(path.join(dir, "slurm"));
    writeFileSync(path.join(dir, "slurm", "site_sprio_weights.txt"), "JOBID PARTITION PRIORITY\n");
    writeFileSync(path.join(dir, "README.md"), "notes");
    expect(fixtureFiles(dir)).toEqual(["slurm/site_sprio_weights.txt"]);
    expect(() => judge("slurm/site_sprio_weights.txt", "JOBID PARTITION PRIORITY\n")).toThrow(
      /no rule for slurm\/site_sprio_weights.txt/,
    );
    // a status error read as "ended" is a failing fixture, not a quiet pass
    expect(() =>
      judge("slurm/x_squeue_stderr_made_up.txt", "slurm_load_jobs error: Invalid job id specified"),
    ).not.toThrow();
    expect(() =>
      judge("pbspro/x_qstat_stderr_made_up.txt", "qstat: 123.srv Job has finished, use -x or -H"),
    ).not.toThrow();
    expect(() =>
      judge(
        "slurm/x_scancel_stderr_made_up.txt",
        "scancel: error: Kill job error on job id 1: Job/step already completing or completed",
      ),
    ).toThrow(/names why the controller did not answer/);
  });

  // Any parser, any file: an answer, or an Error that says what was wrong; never a TypeError
  // or a RangeError from reading past what the text holds.
  it.each(files)("no parser trips over %s", (file) => {
    const x = all.find((f) => f.label === file)!;
    const t = readFileSync(path.join(x.root, x.file), "utf8");
    for (const a of [slurm, pbs, lsf, sge, fork]) {
      a.parseStatus(t, t, ["1", "123"]);
      a.parseSubmit(t, t, 0);
      a.parseSubmit(t, t, 1);
    }
    parseQstatTable(t);
    parseBjobs(t);
    for (const f of [
      parsePbsNodes,
      parsePbsAny,
      parseBqueues,
      parseBhosts,
      (x: string) => parsePbsProbe(x, ident),
      (x: string) => parseLsfProbe(x, ident),
      (x: string) => parseSlurmProbe(x, ident),
      (x: string) => parseSgeProbe(x, ident),
    ]) {
      try {
        f(t);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).constructor.name, (e as Error).message).toBe("Error");
      }
    }
  });

  it("the SLURM probe reads what EManager asks sinfo and squeue for", () => {
    const snap = parseSlurmProbe(
      "debug*|up|10:00|1|0/16/0/16\nstampede|up|1:00:00|1|4/12/0/16\n--squeue--\nstampede|RUNNING\nstampede|PENDING\n",
      { resourceId: "r", label: "l", host: "h", now: new Date(0) },
    );
    expect(
      snap.queues.map((q) => [q.name, q.isDefault, q.maxWalltimeSeconds, q.coresFree, q.jobsQueued]),
    ).toEqual([
      ["debug", true, 600, 16, 0],
      ["stampede", false, 3600, 12, 1],
    ]);
  });
});
