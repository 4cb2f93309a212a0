import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBhosts, parseBqueues, parseLsfProbe } from "../bundle/lsf-probe";
import { parsePbsNodes, parsePbsProbe } from "../bundle/pbs-probe";
import { parseSlurmProbe } from "../bundle/slurm-probe";
import { fork } from "./fork";
import { lsf, parseBjobs } from "./lsf";
import { pbs } from "./pbs";
import { parsePbsAny, parseQstatTable } from "./pbs-attrs";
import { slurm } from "./slurm";

/**
 * Every recorded batch-system output in ../shared/fixtures/batch is either read by one of
 * EManager's parsers (into at least one job, node, queue or a submission answer), or is a
 * format EManager never asks for, listed here with the reason. A new fixture without a rule,
 * or a parser that throws or reads nothing, fails this test.
 */
const ROOT = path.resolve(process.cwd(), "../shared/fixtures/batch");
const ident = { resourceId: "r", label: "l", host: "h", now: new Date(0) };
type Outcome = { read: number } | { notRead: string };

const ids = (text: string, re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => m[1]!))];
const jobs = (m: Map<string, { state: string }>) => m.size;
const submit = (r: ReturnType<typeof slurm.parseSubmit>): number => {
  if (r.ok) return 1;
  expect(r.message.trim().length, "a rejection carries the batch system's message").toBeGreaterThan(5);
  return 1;
};

const RULES: [RegExp, (text: string, file: string) => Outcome][] = [
  // SLURM
  [/sbatch_stderr/, (t) => ({ read: submit(slurm.parseSubmit("", t, 1)) })],
  [/scontrol_(o_)?show_job_stderr|squeue_stderr/, (t) => {
    const st = slurm.parseStatus(t, "", ["424242"]).get("424242")!;
    expect(st.reason).toBeTruthy();
    return { read: 1 };
  }],
  [/scontrol_show_job/, (t) => {
    const found = ids(t, /JobId=(\d+)/g);
    const m = slurm.parseStatus(t, "", found);
    expect([...m.values()].every((s) => s.state !== "unknown"), "every scontrol record has a known state").toBe(true);
    return { read: jobs(m) };
  }],
  [/sacct/, () => ({ notRead: "sacct needs the accounting database, which many sites lack: EManager reads final states from scontrol" })],
  [/scontrol_show_part/, () => ({ notRead: "partitions come from one sinfo line per partition ('%P|%a|%l|%D|%C')" })],
  [/sinfo/, () => ({ notRead: "EManager asks sinfo for its own layout ('%P|%a|%l|%D|%C'); the default and per-node layouts are not parsed" })],
  [/squeue/, () => ({ notRead: "EManager asks squeue for its own layout ('%i|%T|%r' for its jobs, '%P|%T' for the probe)" })],
  // PBS Pro and Torque
  [/qsub_I_/, () => ({ notRead: "interactive qsub (-I) is never used for pilots" })],
  [/qsub/, (t, f) => ({ read: submit(/stderr/.test(f) ? pbs.parseSubmit("", t, 1) : pbs.parseSubmit(t, "", 0)) })],
  [/_x_xml/, () => ({ notRead: "XML (Torque's qstat -x / pbsnodes -x): EManager reads the text form Torque also prints; on PBS Pro -x means 'finished jobs', so one command line cannot ask both for XML" })],
  [/qstat_stderr/, (t) => ({ read: jobs(pbs.parseStatus(t, "", ["123"])) })],
  [/qstat_(xf|f)_/, (t) => {
    const found = parsePbsAny(t).filter((b) => b.attrs.has("job_state")).map((b) => b.name);
    const m = pbs.parseStatus(t, "", found);
    expect([...m.values()].every((s) => s.state !== "unknown"), "every job has a known state").toBe(true);
    return { read: found.length };
  }],
  [/qstat_Q_?f/, (t) => ({ read: parsePbsAny(t).filter((b) => b.attrs.has("queue_type")).length })],
  [/qstat_q_/, () => ({ notRead: "qstat -q truncates its limits to 8 characters (120:00:0); the probe reads qstat -Qf instead" })],
  [/qstat_(default|su)/, (t) => ({ read: parseQstatTable(t).length })],
  [/pbsnodes_stderr/, (t) => {
    expect(parsePbsNodes(t)).toEqual([]);
    return { notRead: "pbsnodes on a single unknown node: the probe lists all nodes" };
  }],
  [/pbsnodes/, (t) => ({ read: parsePbsNodes(t).length })],
  // LSF
  [/bsub_Is_/, () => ({ notRead: "interactive bsub (-Is) is never used for pilots" })],
  [/bsub/, (t, f) => ({ read: submit(/stderr/.test(f) ? lsf.parseSubmit("", t, 255) : /rejected_stdout/.test(f) ? lsf.parseSubmit(t, "", 255) : lsf.parseSubmit(t, "", 0)) })],
  [/bjobs_stderr/, (t) => ({ read: jobs(lsf.parseStatus(t, "", ["864220165"])) })],
  [/bjobs_l_/, () => ({ notRead: "bjobs -l wraps fields at 79 columns; EManager asks bjobs for a delimited custom format" })],
  [/bjobs_o_json_psusp/, (t) => {
    expect(parseBjobs(t), "records without JOBID are left out").toEqual([]);
    return { notRead: "its -o list has no jobid column, so a record cannot be matched to a job (EManager always asks for jobid)" };
  }],
  [/bjobs/, (t) => ({ read: parseBjobs(t).length })],
  [/bacct/, () => ({ notRead: "bacct is accounting after the fact; pilot states come from bjobs" })],
  [/bqueues/, (t) => ({ read: parseBqueues(t).length })],
  [/bhosts/, (t) => ({ read: parseBhosts(t).length })],
];

describe("every recorded batch output is read or explained", () => {
  const files = ["slurm", "pbspro", "torque", "lsf"].flatMap((d) => readdirSync(path.join(ROOT, d)).map((f) => `${d}/${f}`));

  it("has the 106 files the fixtures README lists", () => {
    expect(files.length).toBe(106);
  });

  it.each(files)("%s", (file) => {
    const rule = RULES.find(([re]) => re.test(path.basename(file)));
    expect(rule, `no rule for ${file}`).toBeTruthy();
    const out = rule![1](readFileSync(path.join(ROOT, file), "utf8"), path.basename(file));
    if ("read" in out) expect(out.read, `${file} parsed into nothing`).toBeGreaterThan(0);
    else expect(out.notRead.length).toBeGreaterThan(20);
  });

  // Any parser, any file: an answer, or an Error that says what was wrong; never a TypeError
  // or a RangeError from reading past what the text holds.
  it.each(files)("no parser trips over %s", (file) => {
    const t = readFileSync(path.join(ROOT, file), "utf8");
    for (const a of [slurm, pbs, lsf, fork]) {
      a.parseStatus(t, t, ["1", "123"]);
      a.parseSubmit(t, t, 0);
      a.parseSubmit(t, t, 1);
    }
    parseQstatTable(t);
    parseBjobs(t);
    for (const f of [parsePbsNodes, parsePbsAny, parseBqueues, parseBhosts, (x: string) => parsePbsProbe(x, ident), (x: string) => parseLsfProbe(x, ident), (x: string) => parseSlurmProbe(x, ident)]) {
      try {
        f(t);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).constructor.name, (e as Error).message).toBe("Error");
      }
    }
  });

  it("the SLURM probe reads what EManager asks sinfo and squeue for", () => {
    const snap = parseSlurmProbe("debug*|up|10:00|1|0/16/0/16\nstampede|up|1:00:00|1|4/12/0/16\n--squeue--\nstampede|RUNNING\nstampede|PENDING\n", { resourceId: "r", label: "l", host: "h", now: new Date(0) });
    expect(snap.queues.map((q) => [q.name, q.isDefault, q.maxWalltimeSeconds, q.coresFree, q.jobsQueued])).toEqual([["debug", true, 600, 16, 0], ["stampede", false, 3600, 12, 1]]);
  });
});
