import type { PilotJobSpec } from "./types";
import { sh } from "../shell/quote";
import { ZBatchWord, ZEnvLine, ZRemotePath } from "../shell/patterns";

/**
 * The parts every pilot job script shares, whatever the batch system: the resource's
 * environment set-up lines, then the agent started in its sandbox (agent/README.md).
 */
export function scriptBody(s: PilotJobSpec): string[] {
  const sb = ZRemotePath.parse(s.sandbox);
  return [
    "# environment set-up of the resource",
    ...s.envSetup.map((l) => ZEnvLine.parse(l)),
    `exec bash ${sh(`${sb}/emanager-agent.sh`)} ${sh(sb)}`,
    "",
  ];
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

/**
 * A submission command's complaint, in the batch system's own words, once. Every line loses the
 * program's prefix (`sbatch: error: `, `sbatch.bin: error: `, `qsub: `, `bsub: `, and a site
 * wrapper's, e.g. `/opt/site/bin/sbatch_wrapper: `) and SLURM's "Batch job submission failed: "
 * (the caller says "submission failed" itself). The line that carried that phrase is the reason
 * and comes first; other lines follow as detail; repeated lines count once. Stderr when there is
 * one, else stdout.
 */
export function submitComplaint(stdout: string, stderr: string, code: number | null): string {
  const text = stderr.trim() || stdout.trim();
  const lines: { text: string; main: boolean }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let l = raw.trim();
    // a prefix may repeat (a wrapper quoting the real program): strip until none is left
    for (let prev = ""; prev !== l;) {
      prev = l;
      l = l.replace(PROGRAM_PREFIX, "").trim();
    }
    const main = FAILED_PHRASE.test(l);
    l = l.replace(FAILED_PHRASE, "").trim();
    if (l && !lines.some((x) => x.text === l)) lines.push({ text: l, main });
  }
  const ordered = [...lines.filter((l) => l.main), ...lines.filter((l) => !l.main)].map((l) => l.text);
  return ordered.length ? ordered.join("; ") : `exited with code ${code}`;
}

/** `[path/]name[.bin|.real|_wrapper…]: [error: |fatal: ]` for the submission programs EManager runs */
const PROGRAM_PREFIX = /^(?:\S*\/)?[\w.-]*(?:sbatch|qsub|bsub)[\w.-]*:\s*(?:(?:error|fatal|warning):\s*)?/i;
const FAILED_PHRASE = /^Batch job submission failed:\s*/i;
