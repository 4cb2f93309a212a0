import { z } from "zod";
import { PROTOCOL_VERSION, ZWord } from "./fields";

/**
 * `agent.conf`: `key=value` lines, written by the server before the pilot job is submitted.
 * The agent reads it with `read` (never `source`), takes the keys it knows, and refuses to
 * start (agent_exit conf_error) when a required one is missing or not a plain number.
 */
export const LAUNCH_METHODS = ["fork", "srun", "mpirun"] as const;
export type LaunchMethod = (typeof LAUNCH_METHODS)[number];

export const ZAgentConf = z
  .object({
    pilotId: ZWord,
    /** cores to use when no batch allocation is found (the local resource, a login node) */
    cores: z.number().int().min(1).max(10_000_000),
    /** the pilot job's walltime; the agent stops itself `drainMarginSeconds` before it */
    walltimeSeconds: z
      .number()
      .int()
      .min(1)
      .max(100 * 365 * 86_400),
    drainMarginSeconds: z.number().int().min(0),
    heartbeatSeconds: z.number().int().min(1).max(3600),
    launch: z.enum(LAUNCH_METHODS),
    /** how often an idle agent looks at the inbox and control/ (task exits wake it at once) */
    pollMs: z.number().int().min(10).max(10_000).default(100),
    /** SIGTERM → SIGKILL delay when the agent kills a task's process group */
    killGraceSeconds: z.number().int().min(0).max(600).default(3),
  })
  .refine((c) => c.drainMarginSeconds < c.walltimeSeconds, {
    message: "the drain margin must be shorter than the walltime",
    path: ["drainMarginSeconds"],
  });

export type TAgentConf = z.infer<typeof ZAgentConf>;
export type TAgentConfInput = z.input<typeof ZAgentConf>;

const KEYS: [keyof TAgentConf, string][] = [
  ["pilotId", "pilot_id"],
  ["cores", "cores"],
  ["walltimeSeconds", "walltime_s"],
  ["drainMarginSeconds", "drain_margin_s"],
  ["heartbeatSeconds", "heartbeat_s"],
  ["launch", "launch"],
  ["pollMs", "poll_ms"],
  ["killGraceSeconds", "kill_grace_s"],
];

/** Throws on invalid input: the server builds this from its own validated pilot, so a failure is a bug. */
export function renderAgentConf(conf: TAgentConfInput): string {
  const c = ZAgentConf.parse(conf);
  return [`protocol_version=${PROTOCOL_VERSION}`, ...KEYS.map(([k, key]) => `${key}=${c[k]}`), ""].join("\n");
}

export type ConfResult =
  { ok: true; conf: TAgentConf } | { ok: false; code: "BAD_VERSION" | "BAD_CONF"; message: string };

/** Reads agent.conf back (the server, to show or check a sandbox); unknown keys are ignored as the agent does. */
export function parseAgentConf(text: string): ConfResult {
  const kv = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1));
  }
  const v = kv.get("protocol_version");
  if (v !== String(PROTOCOL_VERSION))
    return {
      ok: false,
      code: "BAD_VERSION",
      message: `protocol_version is ${v ?? "missing"}, expected ${PROTOCOL_VERSION}`,
    };
  const raw: Record<string, unknown> = {};
  for (const [k, key] of KEYS) {
    const s = kv.get(key);
    if (s === undefined) continue;
    raw[k] = k === "pilotId" || k === "launch" ? s : /^\d+$/.test(s) ? Number(s) : s;
  }
  const p = ZAgentConf.safeParse(raw);
  if (!p.success)
    return {
      ok: false,
      code: "BAD_CONF",
      message: p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    };
  return { ok: true, conf: p.data };
}
