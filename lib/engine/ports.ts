/**
 * What the engine needs from the outside world, as small interfaces. The real
 * implementations (SSH or local transport, a batch adapter, the agent's file protocol)
 * are wired in lib/engine/wiring.ts; the engine's logic only sees these.
 */

/** Batch job state as the engine needs it, whatever the batch system called it. */
export interface JobStatus {
  state: "queued" | "running" | "ended" | "unknown";
  /** the batch system's own words: reason code, exit status, native state */
  reason?: string;
}

export interface PilotJobSpec {
  pilotId: string;
  /** absolute sandbox path on the resource */
  sandbox: string;
  jobName: string;
  cores: number;
  nodes: number;
  walltimeMinutes: number;
  queue: string | null;
  project: string | null;
  envSetup: string[];
}

/** A facts-only report from the agent's event log (lib/protocol parses the lines). */
export type AgentFact =
  | { kind: "agent_active"; at: number; cores: number; nodes: string[] }
  | { kind: "task_executing"; at: number; taskId: string; attempt: number; slots: number[] }
  | { kind: "task_done"; at: number; taskId: string; attempt: number; exitCode: number }
  /** the agent gave up on a task without an exit status while the pilot lives (lib/engine/facts.ts) */
  | { kind: "task_given_up"; at: number; taskId: string; attempt: number; reason: string; detail: string }
  | { kind: "agent_exit"; at: number; reason: string }
  | { kind: "agent_draining"; at: number; reason: string };

/** One task as the agent runs it: the synthetic skeleton task, by its files and parameters. */
export interface AgentTask {
  taskId: string;
  attempt: number;
  cores: number;
  type: string;
  mode: string;
  length: number;
  readBuffer: number;
  writeBuffer: number;
  interleave: number;
  /** paths relative to the sandbox's data directory */
  inputs: string[];
  outputs: { path: string; size: number }[];
}

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
  readFacts(sandbox: string, offset: number): Promise<{ facts: AgentFact[]; nextOffset: number; problems: string[] }>;
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
