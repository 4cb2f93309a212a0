import type { Expanded, XStage, XTask } from "./expand";

/**
 * The shell task list and the setup commands, byte for byte as the original printed them.
 * Dialects: 2014 (the SC2014 demo's library, `task <type> <procs> …`) and 2017 (HEAD, which
 * added `<mode>` after the type: `time` or `flops`).
 */
export type Dialect = "2014" | "2017";

/**
 * `Task.get_command(stage)`: every task's slot i is printed under the stage's slot-i directory,
 * which `setdir` took from task 0. A task with more inputs than task 0 crashed the original; its
 * extra files are printed under their own directory here.
 */
export function taskCommand(st: XStage, t: XTask, dialect: Dialect): string {
  const d = st.def;
  let s = dialect === "2017" ? `task ${d.taskType} ${st.mode} ` : `task ${d.taskType} `;
  s += `${d.processes} ${t.lengthText} ${d.readBuf} ${d.writeBuf} ${t.inputs.length} ${t.outputs.length} ${d.interleave}`;
  for (let i = 0; i < t.inputs.length; i++) {
    const f = t.inputs[i]!;
    s += ` ${st.inputdir[i] ?? f.dir}/${f.name}`;
  }
  for (let o = 0; o < t.outputs.length; o++) {
    const f = t.outputs[o]!;
    s += ` ${st.outputdir[o] ?? f.dir}/${f.name} ${f.sizeText}`;
  }
  return s;
}

/** `as_shell()`: one command per line, stages in order; running the lines in order is a valid execution. */
export function emitShell(x: Expanded, dialect: Dialect = "2014"): string {
  const out: string[] = [];
  for (const st of x.stages) for (const t of st.tasks) out.push(taskCommand(st, t, dialect), "\n");
  return out.join("");
}

/**
 * `getSetup()`: `mkdir -p` for every filesystem-input directory and every output directory
 * (the output ones inside the loop over input slots, so a stage without input slots gets none:
 * harmless, `task` creates them), then one `dd` of zeros per distinct initial input file.
 */
export function setupCommands(x: Expanded): string[] {
  const out: string[] = [];
  const dirs = new Set<string>();
  const mkdir = (d: string) => {
    if (dirs.has(d)) return;
    dirs.add(d);
    out.push(`mkdir -p ${d}`);
  };
  for (const st of x.stages) {
    st.sources.forEach((s, i) => {
      if (s.kind === "filesystem" && st.inputdir[i] !== undefined) mkdir(st.inputdir[i]!);
      st.outputdir.forEach(mkdir);
    });
  }
  const files = new Set<string>();
  for (const st of x.stages) {
    st.sources.forEach((s, i) => {
      if (s.kind !== "filesystem") return;
      for (const t of st.tasks) {
        const f = t.inputs[i];
        if (!f || files.has(f.name)) continue;
        files.add(f.name);
        out.push(`dd if=/dev/zero of='${st.inputdir[i] ?? f.dir}/${f.name}'  bs='${f.sizeText}' count=1`);
      }
    });
  }
  return out;
}

export function emitSetup(x: Expanded): string {
  return setupCommands(x).map((l) => `${l}\n`).join("");
}
