import type { JobStatus } from "./types";

/**
 * What a status or cancel command prints when the batch system did not answer: the client could
 * not reach its server, timed out, or was refused for a reason that says nothing about the job.
 * Such an answer leaves a job's state unknown for that poll; only the batch system's own word
 * that a job has gone (a final state, or "no such job" for that id) reads as ended.
 *
 * The texts come from the clients' sources and from recorded outputs (lib/batch/fixtures,
 * ../shared/fixtures/batch): SLURM's slurm_errno.c communication and authentication errors,
 * OpenPBS/PBS Pro's pbs_iff and libpbs connection messages, Torque's trqauthd/munge messages,
 * LSF's "LSF is down" family; plus the operating system's words for a failed socket, which
 * every one of them passes through.
 */
const CLIENT_TROUBLE: readonly RegExp[] = [
  // SLURM (slurm_errno.c, and what the loopback cluster printed)
  /Unable to contact slurm controller[^\n]*/i,
  /Slurm backup controller in standby mode/i,
  /Socket timed out on send\/recv operation/i,
  /Zero Bytes were transmitted or received/i,
  /Unexpected missing socket error/i,
  /Communication (?:connection|send|receive|shutdown) failure/i,
  /Slurmctld (?:is busy|running but not accepting requests)[^\n]*/i,
  /Slurm temporarily unable to accept job[^\n]*/i,
  /Insane message length|Unexpected message received|Header lengths are longer than data received/i,
  /Protocol (?:authentication error|version error)|Invalid authentication credential|Incompatible versions of client and server code/i,
  /Munge (?:encode|decode) failed|munge[^\n]*(?:Failed to connect|Socket communication error)[^\n]*/i,
  /Unable to establish controller machine|Unable to resolve "?[^\n]*"?: Host name lookup failure/i,
  // PBS Pro / OpenPBS / Torque (pbs_iff, libpbs, trqauthd)
  /pbs_iff: [^\n]*/i,
  /cannot connect to (?:server|host)[^\n]*/i,
  /Cannot connect to specified server host[^\n]*/i,
  /could not connect to trqauthd[^\n]*|trqauthd[^\n]*(?:unable|not running)[^\n]*|socket_connect_unix failed[^\n]*/i,
  /communication failure[^\n]*|End of File[^\n]*\(errno=\d+\)|Premature end of message/i,
  /Invalid credential/i,
  /pbs_connect[^\n]*(?:failed|error)[^\n]*/i,
  /No Permission\.?/,
  // LSF (and OpenLava)
  /LSF is down[^\n]*/i,
  /Cannot connect to LSF[^\n]*/i,
  /(?:Master )?LIM is down[^\n]*|Cannot locate master LIM now[^\n]*|LIM protocol error|Slave LIM configuration is not ready yet[^\n]*|LSF daemon \(LIM\) not responding[^\n]*/i,
  /A socket operation has failed|Failed in sending\/receiving a message/i,
  /batch system daemon not responding[^\n]*|Failed in an LSF library call[^\n]*|mbatchd[^\n]*not responding[^\n]*/i,
  /Request from non-LSF host rejected/i,
  // Grid Engine (commlib, and what the loopback qmaster's clients printed)
  /commlib error: [^\n]*/i,
  /unable to (?:contact|send message to) qmaster[^\n]*/i,
  // the operating system's words, through any client
  /Connection (?:refused|timed out|reset by peer)|Network is unreachable|No route to host|Transport endpoint is not connected|Broken pipe|Resource temporarily unavailable/i,
];

/** The first thing in `text` that says the client could not talk to its batch system, or null. */
export function clientTrouble(text: string): string | null {
  for (const re of CLIENT_TROUBLE) {
    const m = re.exec(text);
    if (m) return m[0].trim();
  }
  return null;
}

/**
 * The state of a job the command's output did not place: unknown either way, with the batch
 * system's complaint when there was one, or the first lines of what it printed.
 */
export function unplaced(command: string, text: string, code: number | null | undefined): JobStatus {
  const trouble = clientTrouble(text);
  if (trouble) return { state: "unknown", reason: `${command} did not answer: ${trouble}` };
  const head = text.trim().split(/\r?\n/).slice(0, 2).join(" | ").slice(0, 200);
  const exit = code === undefined || code === null ? "" : ` (exit code ${code})`;
  return {
    state: "unknown",
    reason: head
      ? `${command} said nothing about the job${exit}: ${head}`
      : `${command} printed nothing about the job${exit}`,
  };
}
