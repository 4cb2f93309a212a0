import { z } from "zod";
import type { AgentFact, AgentTask } from "../engine/ports";

/**
 * The file protocol between the server and the pilot agent (agent/README.md). The server
 * writes `agent.conf` and inbox batches; the agent appends facts to `events.log` and touches
 * `heartbeat`. Every field is validated before it is written, so the bash agent never has to
 * parse anything it could misread: tab-separated fields, no field may hold a tab or newline.
 */
export const PROTOCOL_VERSION = 1;

const ZWord = z.string().regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");
const ZRelPath = z
  .string()
  .regex(/^[A-Za-z0-9_.][A-Za-z0-9_./-]*$/, "a relative path of letters, digits, _ . - /")
  .refine((p) => !p.split("/").includes(".."), "no .. in paths");

export const ZAgentConf = z.object({
  pilotId: ZWord,
  cores: z.number().int().min(1).max(1_000_000),
  walltimeSeconds: z.number().int().min(1),
  drainMarginSeconds: z.number().int().min(0),
  heartbeatSeconds: z.number().int().min(1).max(600),
  launch: z.enum(["fork", "srun", "mpirun"]),
});
export type TAgentConf = z.infer<typeof ZAgentConf>;

export function renderAgentConf(c: TAgentConf): string {
  const v = ZAgentConf.parse(c);
  return [`version=${PROTOCOL_VERSION}`, `pilot_id=${v.pilotId}`, `cores=${v.cores}`, `walltime_s=${v.walltimeSeconds}`, `drain_margin_s=${v.drainMarginSeconds}`, `heartbeat_s=${v.heartbeatSeconds}`, `launch=${v.launch}`, ""].join("\n");
}

const ZAgentTask = z.object({
  taskId: ZWord,
  attempt: z.number().int().min(0),
  cores: z.number().int().min(1),
  type: ZWord,
  mode: z.enum(["time", "flops"]),
  length: z.number().min(0).finite(),
  readBuffer: z.number().int().min(1),
  writeBuffer: z.number().int().min(1),
  interleave: z.number().int().min(0).max(3),
  inputs: z.array(ZRelPath),
  outputs: z.array(z.object({ path: ZRelPath, size: z.number().int().min(0) })),
});

/** One line per task: id, attempt, cores, type, mode, length, rbuf, wbuf, interleave, n_in, inputs…, n_out, (path, size)… */
export function renderInboxBatch(tasks: AgentTask[]): string {
  return tasks
    .map((t) => {
      const v = ZAgentTask.parse(t);
      const f = [v.taskId, v.attempt, v.cores, v.type, v.mode, Number(v.length.toFixed(3)), v.readBuffer, v.writeBuffer, v.interleave, v.inputs.length, ...v.inputs, v.outputs.length, ...v.outputs.flatMap((o) => [o.path, o.size])];
      return f.join("\t") + "\n";
    })
    .join("");
}

const ZInt = z.coerce.number().int();
const LINE = {
  agent_active: z.tuple([ZInt, z.string()]),
  task_executing: z.tuple([ZWord, ZInt, z.string()]),
  task_done: z.tuple([ZWord, ZInt, ZInt, ZInt]),
  task_aborted: z.tuple([ZWord, ZInt, z.string()]),
  agent_draining: z.tuple([z.string()]),
  agent_exit: z.tuple([z.string()]),
} as const;

function ints(csv: string): number[] {
  return csv === "" ? [] : csv.split(",").map(Number).filter((n) => Number.isInteger(n));
}

/**
 * Parses the agent's log from `startOffset` (bytes). Only complete lines are consumed: a line
 * the agent is still writing is left for the next read. Unknown kinds (a newer agent) and
 * garbage are reported, never thrown.
 */
export function parseEventLog(chunk: Buffer, startOffset: number): { facts: AgentFact[]; nextOffset: number; problems: string[] } {
  const end = chunk.lastIndexOf(0x0a);
  if (end < 0) return { facts: [], nextOffset: startOffset, problems: [] };
  const facts: AgentFact[] = [];
  const problems: string[] = [];
  for (const raw of chunk.subarray(0, end).toString("utf8").split("\n")) {
    if (raw === "") continue;
    const [ver, at, kind, ...rest] = raw.split("\t");
    const t = Number(at);
    if (ver !== "v1" || !Number.isFinite(t)) {
      problems.push(`unreadable agent log line: ${JSON.stringify(raw.slice(0, 200))}`);
      continue;
    }
    const schema = LINE[kind as keyof typeof LINE];
    const p = schema?.safeParse(rest);
    if (!schema || !p?.success) {
      problems.push(schema ? `bad ${kind} line: ${JSON.stringify(raw.slice(0, 200))}` : `unknown agent event kind ${kind}`);
      continue;
    }
    const d = p.data as unknown[];
    switch (kind) {
      case "agent_active":
        facts.push({ kind, at: t, cores: d[0] as number, nodes: String(d[1]).split(",").filter(Boolean) });
        break;
      case "task_executing":
        facts.push({ kind, at: t, taskId: d[0] as string, attempt: d[1] as number, slots: ints(d[2] as string) });
        break;
      case "task_done":
        facts.push({ kind, at: t, taskId: d[0] as string, attempt: d[1] as number, exitCode: d[2] as number });
        break;
      case "agent_draining":
      case "agent_exit":
        facts.push({ kind, at: t, reason: d[0] as string });
        break;
      default:
        // task_aborted: the pilot is going away; the engine rebinds or retries when it sees the pilot end
        break;
    }
  }
  return { facts, nextOffset: startOffset + end + 1, problems };
}
