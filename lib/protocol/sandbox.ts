import { ZCount, ZWord } from "./fields";

/**
 * The pilot sandbox layout (one directory per pilot on the shared filesystem). Paths are
 * relative to the sandbox; agent/README.md describes who writes what.
 */
export const SANDBOX = {
  /** written by the server before submission */
  conf: "agent.conf",
  /** the server drops `batch-<seq>.tsv` here (temp name, then an atomic rename) */
  inbox: "inbox",
  /** where the agent moves a batch once it owns it (the rename is its claim) */
  claimed: "inbox/claimed",
  /** `cancel-<taskid>` and `drain`, dropped by the server */
  control: "control",
  /** append-only, written by the agent only */
  events: "events.log",
  /** rewritten by the agent every heartbeat interval */
  heartbeat: "heartbeat",
  /** `tasks/<taskid>.<attempt>/` with `stdout` and `stderr` */
  tasks: "tasks",
  /** the agent's own diagnostics (and the batch job's output, where the launcher sends it there) */
  bootstrap: "bootstrap.log",
} as const;

export const DRAIN_FILE = `${SANDBOX.control}/drain`;

export function cancelFile(taskId: string): string {
  return `${SANDBOX.control}/cancel-${ZWord.parse(taskId)}`;
}

/** Batch names sort by sequence number as strings, so the agent's glob order is the server's order. */
export function batchFile(seq: number): { final: string; temp: string } {
  const name = `batch-${String(ZCount.parse(seq)).padStart(8, "0")}.tsv`;
  // a leading dot keeps the temp name out of the agent's `batch-*.tsv` glob
  return { final: `${SANDBOX.inbox}/${name}`, temp: `${SANDBOX.inbox}/.${name}.tmp` };
}

/** The task's own directory (its default working directory) and its captured output. */
export function taskFiles(
  taskId: string,
  attempt: number,
): { dir: string; stdout: string; stderr: string; launchError: string } {
  const dir = `${SANDBOX.tasks}/${ZWord.parse(taskId)}.${ZCount.parse(attempt)}`;
  return { dir, stdout: `${dir}/stdout`, stderr: `${dir}/stderr`, launchError: `${dir}/launch_error` };
}
