import { LINE_TAG } from "./fields";
import { type TInboxTask, ZInboxTask } from "./inbox";

/**
 * Reads a batch the way the agent does (agent/emanager-agent.sh, `accept_line`): tabs
 * separate fields and runs of tabs count as one, as bash's `read` with IFS=tab does; blank
 * lines and `#` lines are skipped; a line whose field count does not match its declared
 * counts is rejected whole. The server uses it to show what a sandbox holds; the tests use it
 * to check that what `renderInboxBatch` writes reads back as the same tasks.
 */
export interface InboxProblem {
  /** 1-based line number in the batch */
  line: number;
  message: string;
}

// whole numbers as the agent reads them: no sign, no leading zeros
const INT = /^(0|[1-9][0-9]{0,17})$/;

function fields(line: string): string[] {
  return line.replace(/^\t+|\t+$/g, "").split(/\t+/);
}

function synthetic(f: string[]): Record<string, unknown> | string {
  const [type, mode, length, rbuf, wbuf, inter, nIn] = f.slice(6, 13);
  if (nIn === undefined || !INT.test(nIn)) return "the input count is not a number";
  const ni = Number(nIn);
  const nOut = f[13 + ni];
  if (nOut === undefined || !INT.test(nOut)) return "the output count is missing or not a number";
  const no = Number(nOut);
  if (f.length !== 14 + ni + 2 * no)
    return `expected ${14 + ni + 2 * no} fields for ${ni} inputs and ${no} outputs, found ${f.length}`;
  if (
    !/^[0-9]{1,16}(\.[0-9]{1,6})?$/.test(length ?? "") ||
    ![rbuf, wbuf, inter].every((x) => INT.test(x ?? ""))
  )
    return "a number field is not a number";
  const outs = f.slice(14 + ni);
  const outputs: { path: string; size: number }[] = [];
  for (let i = 0; i < no; i++) {
    const size = outs[2 * i + 1] ?? "";
    if (!INT.test(size)) return `output ${i + 1} has no whole-number size`;
    outputs.push({ path: outs[2 * i] ?? "", size: Number(size) });
  }
  return {
    kind: "synthetic",
    type,
    mode,
    length: Number(length),
    readBuffer: Number(rbuf),
    writeBuffer: Number(wbuf),
    interleave: Number(inter),
    inputs: f.slice(13, 13 + ni),
    outputs,
  };
}

export function parseInboxBatch(text: string): { tasks: TInboxTask[]; problems: InboxProblem[] } {
  const tasks: TInboxTask[] = [];
  const problems: InboxProblem[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (raw === "" || raw.startsWith("#")) return;
    const f = fields(raw);
    if (f[0] !== LINE_TAG) return problems.push({ line, message: `a task line starts with ${LINE_TAG}` });
    if (f.length < 7 || !INT.test(f[2] ?? "") || !INT.test(f[3] ?? ""))
      return problems.push({ line, message: "too few fields, or attempt/cores not numbers" });
    let body: Record<string, unknown> | string;
    if (f[5] === "shell")
      body =
        f.length === 7 ? { kind: "shell", command: f[6] } : `a shell task has 7 fields, found ${f.length}`;
    else if (f[5] === "synthetic") body = synthetic(f);
    else body = `unknown task kind ${JSON.stringify(f[5])}`;
    if (typeof body === "string") return problems.push({ line, message: body });
    const p = ZInboxTask.safeParse({
      taskId: f[1],
      attempt: Number(f[2]),
      cores: Number(f[3]),
      workdir: f[4] === "-" ? null : f[4],
      ...body,
    });
    if (!p.success)
      return problems.push({
        line,
        message: p.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; "),
      });
    tasks.push(p.data);
  });
  return { tasks, problems };
}
