import { spawn } from "node:child_process";
import {
  closeSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderAgentConf, type TAgentConfInput } from "../lib/protocol/agent-conf";
import { type AgentEvent, type AgentEventOf, parseEventLog, type EventProblem } from "../lib/protocol/events";
import { renderInboxBatch, type TInboxTaskInput } from "../lib/protocol/inbox";
import { batchFile } from "../lib/protocol/sandbox";

/**
 * Drives the real agent (bash) in a temporary sandbox, for the agent's tests and its benchmark:
 * writes agent.conf and inbox batches the way the server does, starts the agent as its own
 * process group, and reads its event log back through the protocol parser.
 */
export const AGENT_SCRIPT = path.join(import.meta.dirname, "emanager-agent.sh");

export interface AgentRun {
  pid: number;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
}

export class Sandbox {
  readonly dir: string;
  private seq = 0;

  constructor(conf: Partial<TAgentConfInput> = {}) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), "em-agent-"));
    for (const d of ["inbox", "control", "tasks"]) mkdirSync(path.join(this.dir, d), { recursive: true });
    const full: TAgentConfInput = {
      pilotId: "pilot-test",
      cores: 2,
      walltimeSeconds: 3600,
      drainMarginSeconds: 5,
      heartbeatSeconds: 1,
      launch: "fork",
      pollMs: 50,
      killGraceSeconds: 2,
      ...conf,
    };
    writeFileSync(path.join(this.dir, "agent.conf"), renderAgentConf(full));
  }

  path(...p: string[]): string {
    return path.join(this.dir, ...p);
  }

  /** Drops a batch the way the server does: temp name, then an atomic rename. */
  drop(tasks: TInboxTaskInput[]): string {
    const r = renderInboxBatch(tasks);
    if (!r.ok) throw new Error(`bad test batch: ${JSON.stringify(r.errors)}`);
    const { final, temp } = batchFile(this.seq++);
    writeFileSync(this.path(temp), r.text);
    renameSync(this.path(temp), this.path(final));
    return final;
  }

  control(name: string): void {
    writeFileSync(this.path("control", name), "");
  }

  start(env: Record<string, string> = {}, script = AGENT_SCRIPT): AgentRun {
    const child = spawn("bash", [script, this.dir], {
      env: { ...cleanEnv(), ...env },
      detached: true,
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    if (!child.pid) throw new Error("the agent did not start");
    return { pid: child.pid, exited };
  }

  // read incrementally from the last complete line, as the server does
  private seen: { events: AgentEvent[]; problems: EventProblem[]; bytes: number } = {
    events: [],
    problems: [],
    bytes: 0,
  };

  read(): { events: AgentEvent[]; problems: EventProblem[]; bytes: number } {
    let fd: number;
    try {
      fd = openSync(this.path("events.log"), "r");
    } catch {
      return this.seen;
    }
    try {
      const size = fstatSync(fd).size;
      if (size > this.seen.bytes) {
        const buf = Buffer.alloc(size - this.seen.bytes);
        readSync(fd, buf, 0, buf.length, this.seen.bytes);
        const r = parseEventLog(buf, this.seen.bytes);
        this.seen = {
          events: [...this.seen.events, ...r.events],
          problems: [...this.seen.problems, ...r.problems],
          bytes: r.nextOffset,
        };
      }
    } finally {
      closeSync(fd);
    }
    return this.seen;
  }

  of<K extends AgentEvent["kind"]>(kind: K): AgentEventOf<K>[] {
    return this.read().events.filter((e): e is AgentEventOf<K> => e.kind === kind);
  }

  /** Polls the event log until `done(events)` holds; fails with the log when it does not in time. */
  async until(
    done: (ev: AgentEvent[]) => boolean,
    timeoutMs = 15_000,
    what = "the expected events",
    everyMs = 40,
  ): Promise<AgentEvent[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const { events } = this.read();
      if (done(events)) return events;
      if (Date.now() > end)
        throw new Error(
          `timed out waiting for ${what}; unparsed: ${JSON.stringify(this.read().problems)}\nlog:\n${readText(this.path("events.log"))}\nbootstrap:\n${readText(this.path("bootstrap.log"))}`,
        );
      await sleep(everyMs);
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const count = (ev: AgentEvent[], kind: AgentEvent["kind"]) => ev.filter((e) => e.kind === kind).length;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function readText(p: string): string {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return "(none)";
  }
}

/** The test machine may itself run under a batch system: the agent must see only what a test gives it. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(SLURM_|PBS_|LSB_|OMPI_|PMI)/.test(k)) delete env[k];
  return env;
}

/** Ends a test's agent and everything in its process group (by id, nothing else). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Processes that still belong to any of these process groups (Linux /proc). */
export function livingInGroups(pgids: number[]): number[] {
  const want = new Set(pgids);
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // fields after the command name (which may hold spaces): state ppid pgrp …
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (rest[0] !== "Z" && want.has(Number(rest[2]))) found.push(Number(name));
    } catch {
      // it exited while we looked
    }
  }
  return found;
}

/** Busy cores and slot overlaps, replayed in log order (the agent is the only writer, so log order is causal). */
export function replayOccupancy(ev: AgentEvent[], cores: number): { maxBusy: number; violations: string[] } {
  const held = new Map<string, number[]>();
  const busySlots = new Set<number>();
  const violations: string[] = [];
  let maxBusy = 0;
  for (const e of ev) {
    if (e.kind === "task_executing") {
      for (const s of e.slots) {
        if (busySlots.has(s)) violations.push(`${e.taskId} got slot ${s}, which was busy`);
        if (s < 0 || s >= cores) violations.push(`${e.taskId} got slot ${s}, outside 0..${cores - 1}`);
        busySlots.add(s);
      }
      held.set(`${e.taskId}.${e.attempt}`, e.slots);
      maxBusy = Math.max(maxBusy, busySlots.size);
    } else if (e.kind === "task_done" || e.kind === "task_failed") {
      for (const s of held.get(`${e.taskId}.${e.attempt}`) ?? []) busySlots.delete(s);
      held.delete(`${e.taskId}.${e.attempt}`);
    }
  }
  return { maxBusy, violations };
}
