import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pbsDuration } from "../batch/pbs-attrs";
import { PBS_PROBE, parsePbsNodes, parsePbsProbe } from "./pbs-probe";
import { probeFor } from "./probes";

// There is no PBS here: these tests read recorded real outputs of PBS Pro, OpenPBS and Torque
// (../shared/fixtures/batch, sources in its README).
const FIX = path.resolve(process.cwd(), "../shared/fixtures/batch");
const fx = (f: string) => readFileSync(path.join(FIX, f), "utf8");
const ident = { resourceId: "r", label: "pbs", host: "h", now: new Date("2026-11-25T00:00:00Z") };
const probe = (server: string, queues: string, nodes: string) =>
  parsePbsProbe([server, "--queues--", queues, "--nodes--", nodes].join("\n"), ident);

describe("PBS probe (on recorded outputs)", () => {
  it("is the probe of kind pbs, JSON first and the text form for Torque", () => {
    expect(probeFor("pbs")?.command).toBe(PBS_PROBE);
    expect(PBS_PROBE).toContain("qstat -Qf -F json 2>/dev/null || qstat -Qf");
    expect(PBS_PROBE).toContain("pbsnodes -av -F json 2>/dev/null || pbsnodes -a");
  });

  it("reads nodes from pbsnodes -a in both text dialects: PBS Pro's ncpus and Torque's np with its jobs list", () => {
    expect(parsePbsNodes(fx("pbspro/unsw_katana_pbsnodes_node_jobbusy.txt"))).toEqual([
      { name: "k254", host: "k254", cores: 32, coresUsed: 32, state: "job-busy" },
    ]);
    const torque = parsePbsNodes(fx("torque/qtop_pbsnodes_a_ral_tier1.txt"));
    expect(torque.length).toBeGreaterThan(800);
    expect(torque[0]).toEqual({
      name: "lcg0835.gridpp.rl.ac.uk",
      host: "lcg0835.gridpp.rl.ac.uk",
      cores: 8,
      coresUsed: 8,
      state: "job-exclusive",
    });
    expect(torque.some((n) => n.state === "down,offline")).toBe(true);
  });

  it("reads pbsnodes -F json: assigned cores, and a multi-vnode host as one node", () => {
    expect(parsePbsNodes(fx("pbspro/pbs_exporter_pbsnodes_av_F_json_gpu_node.txt"))).toEqual([
      { name: "gpu1n001", host: "gpu1n001", cores: 168, coresUsed: 96, state: "free" },
    ]);
    const v = parsePbsNodes(fx("pbspro/pbs_exporter_pbsnodes_av_F_json_vnodes.txt"));
    expect(v.map((n) => [n.name, n.cores, n.coresUsed])).toEqual([
      ["cpu1n001", 0, 0],
      ["cpu1n001[0]", 188, 42],
      ["cpu1n001[1]", 188, 0],
    ]);
    const snap = probe(
      "Server: pbs\n    default_queue = workq",
      fx("pbspro/buildtest_qstat_Q_f_F_json_workq.txt"),
      fx("pbspro/pbs_exporter_pbsnodes_av_F_json_vnodes.txt"),
    );
    expect([snap.nodes, snap.coresPerNode]).toEqual([1, 376]);
    expect(snap.queues).toEqual([
      {
        name: "workq",
        isDefault: true,
        enabled: true,
        maxWalltimeSeconds: null,
        maxCoresPerJob: null,
        maxQueuedJobs: null,
        nodesTotal: 1,
        nodesFree: 0,
        coresTotal: 376,
        coresFree: 334,
        jobsQueued: 0,
        jobsRunning: 0,
      },
    ]);
  });

  it("reads a queue's limits from qstat -Qf -F json: walltime, cores, the per-user queued limit, held jobs as waiting", () => {
    const snap = probe(
      "Server: isrv1",
      fx("pbspro/hyperqueue_qstat_Q_f_F_json_qexp.txt"),
      fx("pbspro/pbs_exporter_pbsnodes_av_F_json_gpu_node.txt"),
    );
    // the queue has its own share of the machine (576 cores on 16 nodes), which bounds its totals
    expect(snap.queues[0]).toEqual({
      name: "qexp",
      isDefault: false,
      enabled: true,
      maxWalltimeSeconds: 3600,
      maxCoresPerJob: 144,
      maxQueuedJobs: 5,
      nodesTotal: 16,
      nodesFree: 0,
      coresTotal: 576,
      coresFree: 72,
      jobsQueued: 2,
      jobsRunning: 0,
    });
  });

  it("builds one snapshot from the text forms of qstat -Bf, qstat -Qf and pbsnodes -a (Torque)", () => {
    const snap = probe(
      "Server: srv\n    default_queue = lbl-cluster",
      fx("torque/buildtest_qstat_Qf_torque.txt"),
      fx("torque/qtop_pbsnodes_a_ral_tier1.txt"),
    );
    const up = parsePbsNodes(fx("torque/qtop_pbsnodes_a_ral_tier1.txt")).filter(
      (n) => !/down|offline/.test(n.state),
    );
    expect(snap.queues).toHaveLength(1);
    expect(snap.queues[0]).toMatchObject({
      name: "lbl-cluster",
      isDefault: true,
      enabled: true,
      maxWalltimeSeconds: null,
      jobsQueued: 0,
      jobsRunning: 0,
      nodesTotal: up.length,
    });
    expect(snap.queues[0]!.coresTotal).toBe(up.reduce((s, n) => s + n.cores, 0));
    expect(snap.queues[0]!.coresFree).toBe(up.reduce((s, n) => s + n.cores - n.coresUsed, 0));
    expect(snap).toMatchObject({
      batch: "pbs",
      nodes: up.length,
      coresPerNode: Math.max(...up.map((n) => n.cores)),
      source: "probe",
    });
    expect([pbsDuration("48:00:00"), pbsDuration("nonsense")]).toEqual([172800, null]);
  });

  it("says what is missing instead of returning an empty snapshot", () => {
    expect(() => parsePbsProbe("qstat: cannot connect to server pbs (errno=111)", ident)).toThrow(
      /1 of its 3 sections/,
    );
    expect(() => probe("Server: s", "", fx("pbspro/unsw_katana_pbsnodes_node_jobbusy.txt"))).toThrow(
      /no execution queue/,
    );
    expect(() => probe("Server: s", '{"Queue": []}', "")).toThrow(/PBS JSON without/);
  });
});
