import type { Workload, WorkloadFile, WorkloadTask } from "../model/workload";

/**
 * Data staging decisions (pure). All files live at the same relative path
 * (`Stage_1_Input/Stage_1_Input_0_1`) in three places: the run directory on the server,
 * and the `data/` folder of each pilot sandbox. Initial inputs are created in the run
 * directory (the original's setup step); a task's inputs are uploaded into its pilot's
 * sandbox unless already there (produced there, or uploaded for an earlier task); its
 * outputs are brought back to the run directory, from where a dependent task on another
 * pilot, possibly on another resource, gets them.
 */

/** Files that some task reads and no task writes: the run's initial inputs. */
export function initialInputs(w: Workload): WorkloadFile[] {
  const produced = new Set<string>();
  for (const t of w.tasks) for (const o of t.outputs) produced.add(o.path);
  const seen = new Map<string, WorkloadFile>();
  for (const t of w.tasks)
    for (const i of t.inputs) if (!produced.has(i.path) && !seen.has(i.path)) seen.set(i.path, i);
  return [...seen.values()];
}

/** Inputs of `task` that the pilot's sandbox does not hold yet. */
export function inputsToUpload(task: WorkloadTask, presentOnPilot: ReadonlySet<string>): WorkloadFile[] {
  const out: WorkloadFile[] = [];
  const queued = new Set<string>();
  for (const f of task.inputs) {
    if (presentOnPilot.has(f.path) || queued.has(f.path)) continue;
    queued.add(f.path);
    out.push(f);
  }
  return out;
}

/** Every distinct directory a set of files lives in (to create before writing them). */
export function directoriesOf(files: readonly WorkloadFile[]): string[] {
  return [...new Set(files.map((f) => f.dir))].sort();
}

/** Total bytes of a set of files (for progress and the staging estimate). */
export function totalBytes(files: readonly WorkloadFile[]): number {
  return files.reduce((s, f) => s + f.size, 0);
}
