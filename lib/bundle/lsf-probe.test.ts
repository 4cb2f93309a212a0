import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  LSF_PROBE,
  parseBhosts,
  parseBqueues,
  parseLsfProbe,
  parseQueueLimits,
  parseRunLimits,
} from "./lsf-probe";
import { probeFor } from "./probes";

// There is no LSF here: these tests read recorded real outputs (../shared/fixtures/batch/lsf,
// sources in its README). The bqueues tables below are typed in LSF's layout, as no recorded
// `bqueues -w` exists among the fixtures.
const FIX = path.resolve(process.cwd(), "../shared/fixtures/batch/lsf");
const fx = (f: string) => readFileSync(path.join(FIX, f), "utf8");
const ident = { resourceId: "r", label: "flight", host: "h", now: new Date("2026-11-25T00:00:00Z") };
const BQUEUES =
  "QUEUE_NAME      PRIO STATUS          MAX JL/U JL/P JL/H NJOBS  PEND   RUN  SUSP\nnormal           30  Open:Active       -    -    -    -     3     1     2     0\nshort            40  Closed:Inact     64    -    -    -     0     0     0     0\n";

describe("LSF probe (on recorded outputs)", () => {
  it("is the probe of kind lsf", () => {
    expect(probeFor("lsf")?.command).toBe(LSF_PROBE);
  });

  it("reads hosts (OpenLava's closed full host and a MAX 0 login node) and bqueues in text and JSON", () => {
    const hosts = parseBhosts(fx("flight-docs_bhosts_openlava_closed_hosts.txt"));
    expect(hosts).toHaveLength(6);
    expect(hosts[4]).toMatchObject({ HOST_NAME: "flight-255", STATUS: "closed", MAX: "2", NJOBS: "2" });
    expect(parseBqueues(fx("buildtest_bqueues_o_queue_name_status_json.txt"))).toEqual([
      { QUEUE_NAME: "batch", STATUS: "Open:Active" },
      { QUEUE_NAME: "test", STATUS: "Open:Active" },
    ]);
    expect(parseBqueues(BQUEUES).map((q) => [q.QUEUE_NAME, q.MAX, q.PEND])).toEqual([
      ["normal", "-", "1"],
      ["short", "64", "0"],
    ]);
  });

  it("reads run limits and per-job slot limits from the -l layout", () => {
    expect(
      parseRunLimits(fx("gc3pie_bjobs_l_done_brutus.txt").replace(/^Job </m, "QUEUE: pub.8h\nJob <")).get(
        "pub.8h",
      ),
    ).toBe(480 * 60);
    const l = parseQueueLimits(
      "QUEUE: normal\n  -- normal queue\n\n  PROCLIMIT\n  1  4  128\n\n  RUNLIMIT\n 720.0 min of host1\n\nQUEUE: small\n TASKLIMIT\n 16\n",
    );
    expect([...l]).toEqual([
      ["normal", { maxSlots: 128, runSeconds: 43200 }],
      ["small", { maxSlots: 16 }],
    ]);
  });

  it("builds one snapshot: limits, default queue, slots free, jobs pending and running", () => {
    const out = [
      BQUEUES,
      "--limits--",
      "QUEUE: normal\n  RUNLIMIT\n 1440.0 min\n",
      "--params--",
      "DEFAULT_QUEUE = normal",
      "--hosts--",
      fx("flight-docs_bhosts_openlava_closed_hosts.txt"),
    ].join("\n");
    const snap = parseLsfProbe(out, ident);
    expect(
      snap.queues.map((q) => [
        q.name,
        q.isDefault,
        q.enabled,
        q.maxWalltimeSeconds,
        q.maxCoresPerJob,
        q.jobsQueued,
        q.jobsRunning,
      ]),
    ).toEqual([
      ["normal", true, true, 86400, null, 1, 2],
      ["short", false, false, null, 64, 0, 0],
    ]);
    // the login node (MAX 0) is not a compute host; the full one still counts its slots
    expect(snap).toMatchObject({ batch: "lsf", nodes: 5, coresPerNode: 2 });
    expect(snap.queues[0]).toMatchObject({ coresTotal: 10, coresFree: 8, nodesFree: 4 });
  });

  it("counts a host closed for an exclusive job, but none of its slots as free", () => {
    const hosts =
      "HOST_NAME STATUS JL/U MAX NJOBS RUN SSUSP USUSP RSV\nn1 ok - 16 4 4 0 0 0\nn2 closed_Excl - 16 1 1 0 0 0\nn3 closed_Adm - 16 0 0 0 0 0\nn4 unavail - 16 0 0 0 0 0\n";
    const snap = parseLsfProbe(
      [BQUEUES, "--limits--", "", "--params--", "", "--hosts--", hosts].join("\n"),
      ident,
    );
    expect(snap.nodes).toBe(2);
    expect(snap.queues[0]).toMatchObject({
      nodesTotal: 2,
      nodesFree: 0,
      coresTotal: 32,
      coresFree: 12,
      isDefault: false,
    });
  });

  it("reports LSF's own words when a section is not the table it should be", () => {
    expect(() => parseBqueues(fx("ert-issue9185_bjobs_stderr_lsf_is_down.txt"))).toThrow(
      /bqueues printed no queue table: "LSF is down/,
    );
    expect(() => parseBhosts("")).toThrow(/bhosts printed no host table/);
    expect(() => parseLsfProbe(BQUEUES, ident)).toThrow(/1 of its 4 sections/);
  });
});
