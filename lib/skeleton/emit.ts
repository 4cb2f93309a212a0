import type { Expanded, XStage, XTask } from "./expand";

/**
 * Emitters that reproduce the original library's outputs byte for byte: the shell task list
 * in the 2014 dialect (`task <type> <procs> …`) or the 2017 one (`task <type> <mode> <procs> …`),
 * the setup commands, and the JSON serialisation (with the key order Python 2's dicts had).
 */
export type Dialect = "2014" | "2017";

export function taskCommand(st: XStage, t: XTask, dialect: Dialect): string {
  const d = st.def;
  const head = dialect === "2017" ? ["task", d.taskType, st.mode] : ["task", d.taskType];
  const ins = t.inputs.map((f) => `${f.dir}/${f.name}`);
  const outs = t.outputs.flatMap((f) => [`${f.dir}/${f.name}`, f.sizeText]);
  return [...head, d.processes, t.lengthText, d.readBuf, d.writeBuf, String(t.inputs.length), String(t.outputs.length), d.interleave, ...ins, ...outs].join(" ");
}

export function emitShell(x: Expanded, dialect: Dialect): string {
  return x.stages.flatMap((st) => st.tasks.map((t) => taskCommand(st, t, dialect) + "\n")).join("");
}

/** `mkdir -p` for filesystem-input and output directories (only for stages with input slots, as the original), then one `dd` per initial input file. */
export function setupCommands(x: Expanded): string[] {
  const dirs: string[] = [];
  const add = (d: string) => {
    if (!dirs.includes(d)) dirs.push(d);
  };
  const dd: string[] = [];
  for (const st of x.stages) {
    st.sources.forEach((s, slot) => {
      if (s?.kind === "filesystem" && st.inputdir[slot]) add(st.inputdir[slot]!);
      for (const o of st.outputdir) add(o);
    });
    st.sources.forEach((s, slot) => {
      if (s?.kind !== "filesystem") return;
      for (const t of st.tasks) {
        const f = t.inputs[slot];
        if (f) dd.push(`dd if=/dev/zero of='${f.dir}/${f.name}'  bs='${f.sizeText}' count=1`);
      }
    });
  }
  return [...dirs.map((d) => `mkdir -p ${d}`), ...dd];
}

export function emitSetup(x: Expanded): string {
  return setupCommands(x).map((l) => l + "\n").join("");
}

// ---- JSON: Python 2 `json.dumps(obj, indent=4, separators=(',', ' : '))` of the object graph ----

type Py = string | number | Py[] | { [k: string]: Py };

function dump(v: Py, level: number): string {
  const pad = "    ".repeat(level + 1);
  const end = "    ".repeat(level);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return v.length === 0 ? "[]" : `[\n${v.map((x) => pad + dump(x, level + 1)).join(",\n")}\n${end}]`;
  const keys = Object.keys(v);
  return keys.length === 0 ? "{}" : `{\n${keys.map((k) => `${pad}${JSON.stringify(k)} : ${dump(v[k]!, level + 1)}`).join(",\n")}\n${end}}`;
}

function ordered(order: readonly string[], obj: Record<string, Py>): Record<string, Py> {
  const o: Record<string, Py> = {};
  for (const k of order) if (k in obj) o[k] = obj[k]!;
  return o;
}

// Key orders as Python 2.7 iterated these dicts (fixed by the key sets, read off the golden files).
const APP = ["mode", "stagelist", "input_file", "class", "num_stage", "name"];
const STAGE: Record<Dialect, string[]> = {
  "2014": ["input_task_mapping", "input_para", "read_buf", "iter_stages", "input_per_task", "iter_num", "length_para", "write_buf", "class", "iter_sub", "processes", "task_type", "name", "output_per_task", "outputdir", "inputdir", "interleave_option", "mode", "task_list", "output_para", "num_tasks"],
  "2017": ["input_task_mapping", "input_para", "read_buf", "iter_stages", "input_per_task", "iter_num", "length_para", "write_buf", "class", "task_mode", "iter_sub", "processes", "task_type", "name", "output_per_task", "outputdir", "inputdir", "interleave_option", "mode", "task_list", "output_para", "num_tasks"],
};
const TASK: Record<Dialect, string[]> = {
  "2014": ["processes", "task_type", "write_buf", "outputlist", "read_buf", "args", "inputlist", "length", "interleave_option", "mode", "taskid", "command", "class"],
  "2017": ["processes", "task_type", "taskid", "outputlist", "read_buf", "args", "inputlist", "length", "interleave_option", "mode", "write_buf", "command", "class", "task_mode"],
};
const FILE = ["size", "class", "name"];

function distPara(d: { kind: string; text: string }): Py {
  return [d.kind, d.text];
}

export function emitJson(x: Expanded, dialect: Dialect, inputFile: string): string {
  const stagelist = x.stages.map((st) => {
    const d = st.def;
    const file = (f: { name: string; sizeText: string }) => ordered(FILE, { size: f.sizeText, class: "File", name: f.name });
    const tasks = st.tasks.map((t) =>
      ordered(TASK[dialect], {
        processes: d.processes, task_type: d.taskType, write_buf: d.writeBuf, outputlist: t.outputs.map(file), read_buf: d.readBuf, args: "",
        inputlist: t.inputs.map(file), length: t.lengthText, interleave_option: d.interleave, mode: "json", taskid: t.id,
        command: taskCommand(st, t, dialect), class: "Task", task_mode: st.mode,
      }),
    );
    const it = d.iteration;
    return ordered(STAGE[dialect], {
      input_task_mapping: d.mapping ? [d.mapping.kind, d.mapping.text.slice(d.mapping.kind.length + 1)] : "",
      input_para: d.inputs.map((slot, i) => [st.sources[i]?.kind === "filesystem" ? "filesystem" : st.sources[i]?.kind === "ref" ? (st.sources[i] as { text: string }).text : "", slot.size ? distPara(slot.size) : []]),
      read_buf: d.readBuf, iter_stages: it ? it.text.stages : "", input_per_task: String(d.inputsPerTask), iter_num: it ? it.num : 1,
      length_para: distPara(d.length), write_buf: d.writeBuf, class: "Stage", task_mode: st.mode,
      iter_sub: it ? it.text.substitute.split(", ") : [], processes: d.processes, task_type: d.taskType, name: st.name,
      output_per_task: String(d.outputsPerTask), outputdir: st.outputdir, inputdir: st.inputdir, interleave_option: d.interleave, mode: "json",
      task_list: tasks, output_para: d.outputs.map(distPara), num_tasks: d.numTasks,
    });
  });
  const name = inputFile.replace(/^.*\//, "").replace(/\.[^.]*$/, "");
  return dump(ordered(APP, { mode: "json", stagelist, input_file: inputFile, class: "Application", num_stage: x.stages.length, name }), 0) + "\n";
}
