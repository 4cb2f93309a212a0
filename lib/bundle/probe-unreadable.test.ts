import { describe, expect, it } from "vitest";
import { probeFor } from "./probes";

// A probe's output that cannot be read (a site wrapper's message, a banner, an HTML proxy page,
// nothing at all) is an error naming the command and quoting the first lines it printed: never
// a snapshot with no queues (SLURM) or a guessed single core (fork).
const id = { resourceId: "r", label: "l", host: "h", now: new Date(0) };

describe("a probe whose output cannot be read", () => {
  it.each([
    [
      "slurm",
      "sinfo: error: resolve_ctls_from_dns_srv: res_nsearch error: Unknown host\nsinfo: error: fetch_config: DNS SRV lookup failed",
      /^the SLURM probe's output names no queue: `sinfo -h -o '%P\|%a\|%l\|%D\|%C' && echo '--squeue--' && squeue -h -o '%P\|%T'` printed:\n> sinfo: error: resolve_ctls_from_dns_srv: res_nsearch error: Unknown host\n> sinfo: error: fetch_config/,
    ],
    ["slurm", "", /names no queue: `sinfo .*` printed:\n\(nothing\)$/],
    [
      "fork",
      "<html><body>502 Bad Gateway</body></html>",
      /^the fork probe's output cannot be read \(nproc did not print a number of cores\): `nproc && \(cat \/proc\/loadavg 2>\/dev\/null \|\| true\)` printed:\n> <html><body>502 Bad Gateway<\/body><\/html>$/,
    ],
    [
      "pbs",
      "qstat: cannot connect to server pbs01 (errno=111) Connection refused",
      /^the PBS probe's output cannot be read \(the PBS probe printed 1 of its 3 sections.*\): `.*qstat -Bf.*` printed:\n> qstat: cannot connect to server pbs01/s,
    ],
    [
      "lsf",
      "LSF is down. Please wait ...",
      /^the LSF probe's output cannot be read \(.*\): `bqueues -w .*` printed:\n> LSF is down\. Please wait \.\.\.$/s,
    ],
  ])("%s: %j → an error with the command and the first lines", (kind, out, msg) => {
    expect(() => probeFor(kind)!.parse(out, id)).toThrow(msg);
  });

  it("keeps long outputs short: five lines, each cut at 200 characters", () => {
    const out = Array.from({ length: 9 }, (_, i) => `line ${i} ${"x".repeat(300)}`).join("\n");
    try {
      probeFor("slurm")!.parse(out, id);
      expect.unreachable();
    } catch (e) {
      const quoted = (e as Error).message.split("\n").slice(1);
      expect(quoted).toHaveLength(5);
      expect(quoted.every((l) => l.length <= 202 && l.endsWith("..."))).toBe(true);
    }
  });

  it("reads good outputs as before", () => {
    expect(probeFor("slurm")!.parse("debug*|up|10:00|1|0/16/0/16\n--squeue--\n", id).queues).toHaveLength(1);
    expect(probeFor("fork")!.parse("8\n0.50 0.40 0.30 1/200 1234\n", id).coresPerNode).toBe(8);
  });
});
