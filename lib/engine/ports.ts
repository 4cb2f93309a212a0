/**
 * What the engine needs from the outside world, as small interfaces. The real
 * implementations (SSH or local transport, a batch adapter, the agent's file protocol)
 * are wired in lib/engine/wiring.ts; the engine's logic only sees these. The job and task
 * shapes belong to the layers that speak them: lib/batch/types.ts and lib/protocol/agent.ts.
 */
import type { JobStatus, PilotJobSpec } from "../batch/types";
import type { AgentFact, AgentTask } from "../protocol/agent";

/** Everything the engine does on one resource for one pilot. */
export interface PilotSite {
  /** where pilot sandboxes go on the resource (absolute) */
  sandboxRoot(): Promise<string>;
  /** makes the sandbox, uploads the agent and its configuration, submits the job */
  launch(spec: PilotJobSpec): Promise<{ ok: true; jobId: string } | { ok: false; message: string }>;
  poll(jobIds: string[]): Promise<Map<string, JobStatus>>;
  cancel(jobId: string): Promise<void>;
  /** asks the agent to finish what runs and exit */
  drain(sandbox: string): Promise<void>;
  /** reads new agent facts after `offset` bytes of its event log */
  readFacts(
    sandbox: string,
    offset: number,
  ): Promise<{ facts: AgentFact[]; nextOffset: number; problems: string[] }>;
  /** calls `onChange` when the agent writes (local sandboxes); null when the engine must poll */
  watchEvents?(sandbox: string, onChange: () => void): (() => void) | null;
  /** milliseconds since the agent's last heartbeat, or null when it has none yet */
  heartbeatAgeMs(sandbox: string, now: number): Promise<number | null>;
  /** uploads files from the run directory into the sandbox's data directory */
  stageIn(sandbox: string, runDir: string, relPaths: string[]): Promise<void>;
  /** hands tasks to the agent (one atomic batch file) */
  submitTasks(sandbox: string, seq: number, tasks: AgentTask[]): Promise<void>;
  /** brings files back from the sandbox's data directory into the run directory */
  stageOut(sandbox: string, runDir: string, relPaths: string[]): Promise<void>;
  /** copies a task's stdout/stderr (size-limited) into `destDir` */
  fetchTaskLogs(sandbox: string, taskId: string, attempt: number, destDir: string): Promise<void>;
  close(): Promise<void>;
}
