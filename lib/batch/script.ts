import type { PilotJobSpec } from "../engine/ports";
import { sh } from "../shell/quote";
import { ZBatchWord, ZEnvLine, ZRemotePath } from "../shell/patterns";

/**
 * The parts every pilot job script shares, whatever the batch system: the resource's
 * environment set-up lines, then the agent started in its sandbox (agent/README.md).
 */
export function scriptBody(s: PilotJobSpec): string[] {
  const sb = ZRemotePath.parse(s.sandbox);
  return ["# environment set-up of the resource", ...s.envSetup.map((l) => ZEnvLine.parse(l)), `exec bash ${sh(`${sb}/emanager-agent.sh`)} ${sh(sb)}`, ""];
}

/**
 * Validates every word of a spec that could reach a directive or a command line, whether or not
 * this batch system uses it, so that a bad queue or project is refused the same way everywhere.
 */
export function checkSpec(s: PilotJobSpec): void {
  ZRemotePath.parse(s.sandbox);
  ZBatchWord.parse(s.jobName);
  if (s.queue) ZBatchWord.parse(s.queue);
  if (s.project) ZBatchWord.parse(s.project);
  for (const l of s.envSetup) ZEnvLine.parse(l);
}

/** Walltime as HH:MM:SS (hours may exceed 24, as PBS and Torque accept), at least one minute. */
export function hhmmss(minutes: number): string {
  const total = Math.max(1, Math.ceil(minutes));
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}:00`;
}

/** Cores per node for a job of `cores` over `nodes` (the batch systems ask per node). */
export function perNode(s: PilotJobSpec): { nodes: number; ppn: number } {
  const nodes = Math.max(1, Math.trunc(s.nodes));
  return { nodes, ppn: Math.max(1, Math.ceil(Math.max(1, Math.trunc(s.cores)) / nodes)) };
}

/** The first non-empty line of a command's complaint, without the command's own prefix. */
export function complaint(stdout: string, stderr: string, code: number | null, prefix: RegExp): string {
  const text = (stderr.trim() || stdout.trim()).replace(prefix, "").trim();
  return text || `exited with code ${code}`;
}
