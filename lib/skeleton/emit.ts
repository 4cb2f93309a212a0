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

/**
 * Emitters write as they go: they yield chunks of about this many characters, so a million-task
 * expansion never becomes one string (V8 refuses strings past 2^29 characters, and the parts
 * would hold the heap twice over).
 */
export const CHUNK = 1 << 16;

/** `as_shell()`: one command per line, stages in order; running the lines in order is a valid execution. */
export function* shellChunks(x: Expanded, dialect: Dialect = "2014"): Generator<string> {
  let buf = "";
  for (const st of x.stages) {
    for (const t of st.tasks) {
      buf += taskCommand(st, t, dialect) + "\n";
      if (buf.length >= CHUNK) {
        yield buf;
        buf = "";
      }
    }
  }
  if (buf) yield buf;
}

export function emitShell(x: Expanded, dialect: Dialect = "2014"): string {
  return joinChunks(shellChunks(x, dialect));
}

/** The whole output as one string, for small expansions and tests. */
export function joinChunks(chunks: Iterable<string>): string {
  const parts: string[] = [];
  for (const c of chunks) parts.push(c);
  return parts.join("");
}

/**
 * `getSetup()`: `mkdir -p` for every filesystem-input directory and every output directory
 * (the output ones inside the loop over input slots, so a stage without input slots gets none:
 * harmless, `task` creates them), then one `dd` of zeros per distinct initial input file.
 */
export function* setupLines(x: Expanded): Generator<string> {
  const dirs = new Set<string>();
  for (const st of x.stages) {
    for (let i = 0; i < st.sources.length; i++) {
      const wanted =
        st.sources[i]!.kind === "filesystem" && st.inputdir[i] !== undefined
          ? [st.inputdir[i]!, ...st.outputdir]
          : st.outputdir;
      for (const d of wanted) {
        if (dirs.has(d)) continue;
        dirs.add(d);
        yield `mkdir -p ${d}`;
      }
    }
  }
  const files = new Set<string>();
  for (const st of x.stages) {
    for (let i = 0; i < st.sources.length; i++) {
      if (st.sources[i]!.kind !== "filesystem") continue;
      for (const t of st.tasks) {
        const f = t.inputs[i];
        if (!f || files.has(f.name)) continue;
        files.add(f.name);
        yield `dd if=/dev/zero of='${st.inputdir[i] ?? f.dir}/${f.name}'  bs='${f.sizeText}' count=1`;
      }
    }
  }
}

export function setupCommands(x: Expanded): string[] {
  return Array.from(setupLines(x));
}

export function* setupChunks(x: Expanded): Generator<string> {
  let buf = "";
  for (const l of setupLines(x)) {
    buf += l + "\n";
    if (buf.length >= CHUNK) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}

export function emitSetup(x: Expanded): string {
  return joinChunks(setupChunks(x));
}
