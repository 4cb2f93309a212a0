import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { probeFor } from "./probes";
import { parseSgeProbe, sgeDuration } from "./sge-probe";

/** The Grid Engine probe on the loopback cell's recorded output (lib/batch/fixtures/sge). */
const fx = (f: string) => readFileSync(path.resolve(process.cwd(), "lib/batch/fixtures/sge", f), "utf8");
const id = { resourceId: "r", label: "sge", host: "vm", now: new Date(0) };

describe("Grid Engine probe", () => {
  it("reads queues, slots, h_rt, the disabled queue, hosts and jobs", () => {
    const snap = parseSgeProbe(fx("loopback_sge_probe_stdout.txt"), id);
    expect(snap.batch).toBe("sge");
    expect(snap.nodes).toBe(1);
    expect(snap.coresPerNode).toBe(2);
    expect(snap.queues).toEqual([
      {
        name: "all.q",
        isDefault: true,
        enabled: true,
        maxWalltimeSeconds: 3600,
        maxCoresPerJob: 8,
        maxQueuedJobs: null,
        nodesTotal: 1,
        nodesFree: 0,
        coresTotal: 8,
        coresFree: 5,
        jobsQueued: 1,
        jobsRunning: 2,
      },
      {
        name: "dead.q",
        isDefault: false,
        enabled: false,
        maxWalltimeSeconds: 3600,
        maxCoresPerJob: 1,
        maxQueuedJobs: null,
        nodesTotal: 1,
        nodesFree: 0,
        coresTotal: 1,
        coresFree: 0,
        jobsQueued: 1,
        jobsRunning: 0,
      },
    ]);
  });
  it("reads durations", () => {
    expect(sgeDuration("1:00:00")).toBe(3600);
    expect(sgeDuration("48:00:00")).toBe(172800);
    expect(sgeDuration("2:30")).toBe(150); // m:s
    expect(sgeDuration("600")).toBe(600);
    expect(sgeDuration("INFINITY")).toBeNull();
    expect(sgeDuration("soon")).toBeNull();
  });
  it("is dispatched for kind sge, and an unreadable output names the command and quotes it", () => {
    const p = probeFor("sge")!;
    expect(p.parse(fx("loopback_sge_probe_stdout.txt"), id).queues).toHaveLength(2);
    const refused = fx("loopback_sge_qstat_gc_stderr_connection_refused.txt");
    expect(() => p.parse(refused, id)).toThrow(
      /^the Grid Engine probe's output cannot be read \(the Grid Engine probe printed 1 of its 4 sections.*\): `qstat -g c && .*` printed:\n> error: commlib error: got select error \(Connection refused\)/s,
    );
    const noQueues =
      "CLUSTER QUEUE CQLOAD USED RES AVAIL TOTAL aoACDS cdsuE\n--queues--\n--hosts--\n--jobs--\n";
    expect(() => p.parse(noQueues, id)).toThrow(/qstat -g c listed no cluster queue/);
  });
});
