import type { Dialect } from "./emit";
import { CHUNK, joinChunks, taskCommand } from "./emit";
import type { Expanded, XFile, XStage, XTask } from "./expand";
import { pyJsonKeyOrder } from "./py-dict";
import { pyJsonString } from "./py-format";
import type { Dist } from "./types";

/**
 * The JSON form (`as_json()`): Python 2.7 `json.dumps(app, indent=4, separators=(',', ' : '))`
 * of the object graph, each object printed as `{'class': …}` updated with its `__dict__`.
 * Values keep the original's types: counts parsed as text stay strings ("input_per_task": "1"),
 * `num_tasks`, `num_stage` and the default `iter_num` are numbers. Key order: lib/skeleton/py-dict.ts.
 */

// attribute assignment order of the original's constructors (2017 added task_mode)
const STAGE_ATTRS = [
  "mode",
  "name",
  "task_type",
  "task_mode",
  "num_tasks",
  "length_para",
  "processes",
  "read_buf",
  "write_buf",
  "input_per_task",
  "input_para",
  "input_task_mapping",
  "output_per_task",
  "output_para",
  "interleave_option",
  "iter_num",
  "iter_stages",
  "iter_sub",
  "task_list",
  "inputdir",
  "outputdir",
];
const TASK_ATTRS = [
  "taskid",
  "task_type",
  "task_mode",
  "processes",
  "length",
  "read_buf",
  "write_buf",
  "inputlist",
  "outputlist",
  "interleave_option",
  "mode",
  "command",
  "args",
];
const without = (attrs: string[], dialect: Dialect) =>
  dialect === "2014" ? attrs.filter((a) => a !== "task_mode") : attrs;

const ORDERS = {
  app: pyJsonKeyOrder(["name", "input_file", "num_stage", "stagelist", "mode"]),
  file: pyJsonKeyOrder(["name", "size"]),
  stage: { "2014": pyJsonKeyOrder(without(STAGE_ATTRS, "2014")), "2017": pyJsonKeyOrder(STAGE_ATTRS) },
  stageCopied: {
    "2014": pyJsonKeyOrder(without(STAGE_ATTRS, "2014"), true),
    "2017": pyJsonKeyOrder(STAGE_ATTRS, true),
  },
  task: { "2014": pyJsonKeyOrder(without(TASK_ATTRS, "2014")), "2017": pyJsonKeyOrder(TASK_ATTRS) },
};

/**
 * A list written one element at a time, built only when it is written: the stage list and each
 * stage's task list, so that a million tasks never exist as objects (or text) all at once.
 */
interface Lazy {
  length: number;
  item: (i: number) => Py;
}
type Py = string | number | Py[] | PyObject | Lazy;
interface PyObject {
  order: readonly string[];
  values: Record<string, Py>;
}

const isLazy = (v: Py): v is Lazy => typeof v === "object" && !Array.isArray(v) && "item" in v;

/** Where the text goes: appended to `s`, handed out by the caller whenever it has grown past CHUNK. */
interface Buf {
  s: string;
}

/** Writes `v` at an indent level; yields after every element of a lazy list so the caller can flush. */
function* write(v: Py, level: number, out: Buf): Generator<void> {
  if (typeof v === "string") out.s += pyJsonString(v);
  else if (typeof v === "number") out.s += String(v);
  else if (Array.isArray(v) || isLazy(v)) {
    const n = v.length;
    if (n === 0) return void (out.s += "[]");
    const pad = "\n" + "    ".repeat(level + 1);
    for (let i = 0; i < n; i++) {
      out.s += i === 0 ? "[" + pad : "," + pad;
      const x = Array.isArray(v) ? v[i]! : v.item(i);
      if (typeof x === "object") yield* write(x, level + 1, out);
      else writePlain(x, out);
      if (isLazy(v)) yield;
    }
    out.s += "\n" + "    ".repeat(level) + "]";
  } else {
    const pad = "\n" + "    ".repeat(level + 1);
    for (let i = 0; i < v.order.length; i++) {
      const k = v.order[i]!;
      out.s += (i === 0 ? "{" : ",") + pad + pyJsonString(k) + " : ";
      const x = v.values[k]!;
      if (typeof x === "object") yield* write(x, level + 1, out);
      else writePlain(x, out);
    }
    out.s += "\n" + "    ".repeat(level) + "}";
  }
}

function writePlain(v: string | number, out: Buf): void {
  out.s += typeof v === "string" ? pyJsonString(v) : String(v);
}

const para = (d: Dist): Py => [d.kind, d.text];

function fileObject(f: XFile): PyObject {
  return { order: ORDERS.file, values: { name: f.name, size: f.sizeText, class: "File" } };
}

function taskObject(st: XStage, t: XTask, dialect: Dialect): PyObject {
  const d = st.def;
  const values: Record<string, Py> = {
    taskid: t.id,
    task_type: d.taskType,
    task_mode: st.mode,
    processes: d.processes,
    length: t.lengthText,
    read_buf: d.readBuf,
    write_buf: d.writeBuf,
    inputlist: t.inputs.map(fileObject),
    outputlist: t.outputs.map(fileObject),
    interleave_option: d.interleave,
    mode: "json",
    command: taskCommand(st, t, dialect),
    args: "",
    class: "Task",
  };
  return { order: ORDERS.task[dialect], values };
}

function stageObject(st: XStage, dialect: Dialect): PyObject {
  const d = st.def;
  const it = d.iteration;
  const values: Record<string, Py> = {
    mode: "json",
    name: st.name,
    task_type: d.taskType,
    task_mode: st.mode,
    num_tasks: d.numTasks,
    length_para: para(d.length),
    processes: d.processes,
    read_buf: d.readBuf,
    write_buf: d.writeBuf,
    input_per_task: d.inputsText,
    input_para: d.inputs.map((s, i) => [st.sourceTexts[i] ?? "", s.size ? para(s.size) : []]),
    input_task_mapping: d.mapping ? [d.mapping.kind, d.mapping.text] : "",
    output_per_task: d.outputsText,
    output_para: d.outputs.map(para),
    interleave_option: d.interleave,
    iter_num: it ? it.numText : 1,
    iter_stages: it ? it.stagesText : "",
    iter_sub: it ? [...it.subText] : [],
    task_list: { length: st.tasks.length, item: (i) => taskObject(st, st.tasks[i]!, dialect) },
    inputdir: st.inputdir,
    outputdir: st.outputdir,
    class: "Stage",
  };
  return { order: (st.copied ? ORDERS.stageCopied : ORDERS.stage)[dialect], values };
}

/** `inputFile` is the path the original was given (-i); by default the file name of the expansion. */
export function* jsonChunks(
  x: Expanded,
  dialect: Dialect = "2014",
  inputFile: string = x.fileName,
): Generator<string> {
  const app: PyObject = {
    order: ORDERS.app,
    values: {
      name: x.name,
      input_file: inputFile,
      num_stage: x.numStage,
      stagelist: { length: x.stages.length, item: (i) => stageObject(x.stages[i]!, dialect) },
      mode: "json",
      class: "Application",
    },
  };
  const out: Buf = { s: "" };
  for (const _ of write(app, 0, out)) {
    if (out.s.length < CHUNK) continue;
    yield out.s;
    out.s = "";
  }
  yield out.s + "\n";
}

export function emitJson(x: Expanded, dialect: Dialect = "2014", inputFile: string = x.fileName): string {
  return joinChunks(jsonChunks(x, dialect, inputFile));
}
