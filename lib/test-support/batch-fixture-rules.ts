import { readdirSync } from "node:fs";
import path from "node:path";
import { parseBhosts, parseBqueues } from "../bundle/lsf-probe";
import { parsePbsNodes } from "../bundle/pbs-probe";
import { parseQstatGc, parseSgeProbe } from "../bundle/sge-probe";
import { lsf, parseBjobs } from "../batch/lsf";
import { pbs } from "../batch/pbs";
import { parsePbsAny, parseQstatTable } from "../batch/pbs-attrs";
import { parseQstatXml, sge } from "../batch/sge";
import { slurm } from "../batch/slurm";
import { clientTrouble } from "../batch/trouble";
import type { SubmitResult } from "../batch/types";

/**
 * The rule every recorded batch-system output obeys (lib/batch/fixtures.test.ts): it is read by
 * one of EManager's parsers (into at least one job, node, queue, submission answer or client
 * error), or it is a format EManager never asks for, with the reason. A file no rule names is
 * an error, so a new recording cannot slip in unread. Pure: rules throw an Error saying what
 * was wrong.
 */
export type Outcome = { read: number } | { notRead: string };
type Rule = [RegExp, (text: string, file: string) => Outcome];

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}
const ids = (text: string, re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => m[1]!))];
const submit = (r: SubmitResult): number => {
  if (!r.ok) must(r.message.trim().length > 5, "a rejection carries the batch system's message");
  return 1;
};

/**
 * A status command's error output about one job: unknown when it is a client that could not
 * reach its server, ended only when the server says the job has gone.
 */
function statusError(
  parse: (t: string) => { state: string; reason?: string },
  gone: RegExp,
): (t: string) => Outcome {
  return (t) => {
    const st = parse(t);
    must(Boolean(st.reason), "a status answer carries a reason");
    if (gone.test(t)) must(st.state === "ended", `the server said the job has gone, read as ${st.state}`);
    else if (clientTrouble(t))
      must(
        st.state === "unknown",
        `a client that could not reach its server was read as ${st.state}: ${st.reason}`,
      );
    else must(st.state !== "ended", `an answer that does not place the job was read as ended: ${st.reason}`);
    return { read: 1 };
  };
}

export const RULES: Rule[] = [
  // Grid Engine (first: its qsub/qstat/qdel share PBS's command names)
  [
    /_sge_probe_stdout/,
    (t) => {
      const snap = parseSgeProbe(t, { resourceId: "r", label: "l", host: "h", now: new Date(0) });
      must(
        snap.queues.every((q) => q.coresTotal > 0),
        "every queue has slots",
      );
      return { read: snap.queues.length };
    },
  ],
  [
    /_sge_qstat_gc_stderr/,
    (t) => {
      must(
        parseQstatGc(t).length === 0 && clientTrouble(t) !== null,
        "an unreachable qmaster is no queue, and says why",
      );
      return { read: 1 };
    },
  ],
  [
    /_sge_qsub_.*stderr/,
    (t) => {
      const r = sge.parseSubmit("", t, 1);
      must(
        !r.ok && !/Unable to run job|Exiting\./.test(r.message),
        `qsub's frame is left in: ${r.ok ? "accepted" : r.message}`,
      );
      return { read: submit(r) };
    },
  ],
  [/_sge_qsub_/, (t) => ({ read: submit(sge.parseSubmit(t, "", 0)) })],
  [
    /_sge_qstat_(xml|j)_stderr/,
    statusError((t) => sge.parseStatus(t, "", ["424242"], 1).get("424242")!, /do not exist/),
  ],
  [
    /_sge_qstat_xml_/,
    (t) => {
      const found = [...parseQstatXml(t).keys()];
      const m = sge.parseStatus(t, "", found, 0);
      must(
        [...m.values()].every((s) => s.state !== "unknown"),
        "every qstat -xml job has a known state",
      );
      return { read: found.length };
    },
  ],
  [
    /_sge_qacct_j_stderr/,
    (t) => {
      must(
        sge.parseStatus(t, "", ["999"], 1).get("999")!.state !== "ended",
        "qacct's 'not found' alone (accounting not yet flushed) does not end a job",
      );
      return { read: 1 };
    },
  ],
  [
    /_sge_qacct_j_/,
    (t) => {
      // what the status command prints for a job qmaster no longer lists: qstat -j's answer, then qacct's lines
      const st = sge.parseStatus(`Following jobs do not exist: \n9\n${t}`, "", ["9"], 1).get("9")!;
      must(
        st.state === "ended" && /exit_status \d+/.test(st.reason ?? ""),
        `qacct's exit status is the reason: ${st.reason}`,
      );
      return { read: 1 };
    },
  ],
  [
    /_sge_qdel_.*(stderr|denied)/,
    (t) => {
      must(clientTrouble(t) !== null || /does not exist/.test(t), "a failed qdel says why");
      return { read: 1 };
    },
  ],
  [
    /_sge_qdel_stdout/,
    (t) => {
      must(/has (registered the job \d+ for deletion|deleted job \d+)/.test(t), "qdel confirms the deletion");
      return { read: 1 };
    },
  ],
  // SLURM
  [
    /sbatch_stderr/,
    (t) => {
      const r = slurm.parseSubmit("", t, 1);
      if (!r.ok)
        must(
          !/sbatch(\.bin)?:|Batch job submission failed/.test(r.message),
          `the program prefix is left in: ${r.message}`,
        );
      return { read: submit(r) };
    },
  ],
  [
    /scancel_stderr/,
    (t) => {
      must(clientTrouble(t) !== null, "a failed cancel names why the controller did not answer");
      return { read: 1 };
    },
  ],
  [
    /scontrol_(o_)?show_job_stderr|squeue_stderr/,
    statusError((t) => slurm.parseStatus(t, "", ["424242"], 1).get("424242")!, /Invalid job id specified/),
  ],
  [
    /scontrol_show_job/,
    (t) => {
      const found = ids(t, /JobId=(\d+)/g);
      const m = slurm.parseStatus(t, "", found, 0);
      must(
        [...m.values()].every((s) => s.state !== "unknown"),
        "every scontrol record has a known state",
      );
      return { read: m.size };
    },
  ],
  [
    /sacct/,
    () => ({
      notRead:
        "sacct needs the accounting database, which many sites lack: EManager reads final states from scontrol",
    }),
  ],
  [
    /scontrol_show_part/,
    () => ({ notRead: "partitions come from one sinfo line per partition ('%P|%a|%l|%D|%C')" }),
  ],
  [
    /sinfo/,
    () => ({
      notRead:
        "EManager asks sinfo for its own layout ('%P|%a|%l|%D|%C'); the default and per-node layouts are not parsed",
    }),
  ],
  [
    /squeue/,
    () => ({
      notRead: "EManager asks squeue for its own layout ('%i|%T|%r' for its jobs, '%P|%T' for the probe)",
    }),
  ],
  // PBS Pro and Torque
  [/qsub_I_/, () => ({ notRead: "interactive qsub (-I) is never used for pilots" })],
  [
    /qsub/,
    (t, f) => ({ read: submit(/stderr/.test(f) ? pbs.parseSubmit("", t, 1) : pbs.parseSubmit(t, "", 0)) }),
  ],
  [
    /_x_xml/,
    () => ({
      notRead:
        "XML (Torque's qstat -x / pbsnodes -x): EManager reads the text form Torque also prints; on PBS Pro -x means 'finished jobs', so one command line cannot ask both for XML",
    }),
  ],
  [
    /qstat_stderr/,
    statusError((t) => pbs.parseStatus(t, "", ["123"], 2).get("123")!, /Unknown Job Id|Job has finished/),
  ],
  [
    /qstat_(xf|f)_/,
    (t) => {
      const found = parsePbsAny(t)
        .filter((b) => b.attrs.has("job_state"))
        .map((b) => b.name);
      const m = pbs.parseStatus(t, "", found, 0);
      must(
        [...m.values()].every((s) => s.state !== "unknown"),
        "every job has a known state",
      );
      return { read: found.length };
    },
  ],
  [/qstat_Q_?f/, (t) => ({ read: parsePbsAny(t).filter((b) => b.attrs.has("queue_type")).length })],
  [
    /qstat_q_/,
    () => ({
      notRead: "qstat -q truncates its limits to 8 characters (120:00:0); the probe reads qstat -Qf instead",
    }),
  ],
  [/qstat_(default|su)/, (t) => ({ read: parseQstatTable(t).length })],
  [
    /pbsnodes_stderr/,
    (t) => {
      must(parsePbsNodes(t).length === 0, "an error is not a node");
      return { notRead: "pbsnodes on a single unknown node: the probe lists all nodes" };
    },
  ],
  [/pbsnodes/, (t) => ({ read: parsePbsNodes(t).length })],
  // LSF
  [/bsub_Is_/, () => ({ notRead: "interactive bsub (-Is) is never used for pilots" })],
  [
    /bsub/,
    (t, f) => ({
      read: submit(
        /stderr/.test(f)
          ? lsf.parseSubmit("", t, 255)
          : /rejected_stdout/.test(f)
            ? lsf.parseSubmit(t, "", 255)
            : lsf.parseSubmit(t, "", 0),
      ),
    }),
  ],
  [
    /bjobs_stderr/,
    statusError((t) => lsf.parseStatus(t, "", ["864220165"], 255).get("864220165")!, /is not found/),
  ],
  [
    /bjobs_l_/,
    () => ({
      notRead: "bjobs -l wraps fields at 79 columns; EManager asks bjobs for a delimited custom format",
    }),
  ],
  [
    /bjobs_o_json_psusp/,
    (t) => {
      must(parseBjobs(t).length === 0, "records without JOBID are left out");
      return {
        notRead:
          "its -o list has no jobid column, so a record cannot be matched to a job (EManager always asks for jobid)",
      };
    },
  ],
  [/bjobs/, (t) => ({ read: parseBjobs(t).length })],
  [/bacct/, () => ({ notRead: "bacct is accounting after the fact; pilot states come from bjobs" })],
  [/bqueues/, (t) => ({ read: parseBqueues(t).length })],
  [/bhosts/, (t) => ({ read: parseBhosts(t).length })],
];

/** Every recorded output under `root` (`<system>/<file>`, README.md left out), as paths relative to it. */
export function fixtureFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(path.join(root, d.name)).map((f) => `${d.name}/${f}`))
    .sort();
}

/** Applies the rule for `file` (its base name picks the rule); throws when none applies or it fails. */
export function judge(file: string, text: string): Outcome {
  const base = path.basename(file);
  const rule = RULES.find(([re]) => re.test(base));
  if (!rule)
    throw new Error(
      `no rule for ${file}: add one to lib/batch/fixture-rules.ts (read by a parser, or never asked for and why)`,
    );
  const out = rule[1](text, base);
  if ("read" in out) must(out.read > 0, `${file} parsed into nothing`);
  else must(out.notRead.length > 20, `${file}: say why EManager never reads it`);
  return out;
}
