import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { sge as adapter } from "../../lib/batch/sge";
import { probeFor } from "../../lib/bundle/probes";
import type { JobStatus } from "../../lib/batch/types";
import { ensureSge, sgeJobsOf, type SgeInfo } from "../../lib/test-support/sge";
import { SshTransport } from "../../lib/transport/ssh";
import type { ClusterInfo } from "./cluster-info";

// The Grid Engine cell of sge-up.sh, reached as the engine reaches it (hpcuser over the loopback
// sshd, the adapter's own commands): which submissions qsub accepts or refuses with and without
// `-w e`, and what the status command reads for a waiting, a finished and an unreachable job.
let cl: ClusterInfo;
let info: SgeInfo;
let t: SshTransport;
const connect = () =>
  new SshTransport({
    host: cl.host,
    port: cl.port,
    username: cl.user,
    privateKey: readFileSync(cl.privateKeyPath, "utf8"),
    hostKey: cl.hostKey,
    callTimeoutMs: 20_000,
  });
/**
 * One command over ssh; once more on a fresh connection if the connection was lost (another
 * suite, resilience-slurm, kills every session of the cluster user on purpose while it runs).
 */
async function exec(command: string) {
  try {
    return await t.exec(command);
  } catch {
    await t.close().catch(() => undefined);
    t = connect();
    return t.exec(command);
  }
}
const dir = `/home/hpcuser/emanager-test/sge-check-${process.pid}`;
const submitted: string[] = [];
beforeAll(async () => {
  ({ cluster: cl, sge: info } = ensureSge());
  t = connect();
  await exec(
    `mkdir -p ${dir} && printf '#!/bin/bash\\nsleep "\${1:-1}"\\nexit "\${2:-0}"\\n' > ${dir}/job.sh && chmod 755 ${dir}/job.sh`,
  );
});
afterAll(async () => {
  if (submitted.length) await exec(`qdel ${submitted.join(" ")} >/dev/null 2>&1; rm -rf ${dir}`);
  await t.close();
});

async function submit(command: string) {
  const r = await exec(`cd ${dir} && ${command}`);
  const res = adapter.parseSubmit(r.stdout, r.stderr, r.code);
  if (res.ok) submitted.push(res.jobId);
  return res;
}
async function status(id: string, prefix = ""): Promise<JobStatus> {
  const r = await exec(`${prefix}${adapter.statusCommand([id])}`);
  return adapter.parseStatus(r.stdout, r.stderr, [id], r.code).get(id)!;
}
async function until(what: string, ms: number, pred: () => Promise<boolean>) {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe("submitting to the loopback Grid Engine cell", () => {
  it("-w e refuses a job no queue can ever run, which plain qsub accepts to wait for ever", async () => {
    const wide = `-pe smp ${info.slots * 2} job.sh`;
    const refused = await submit(`qsub -terse -w e ${wide}`);
    expect(refused).toEqual({ ok: false, code: "REJECTED", message: "no suitable queues" });
    const plain = await submit(`qsub -terse ${wide}`);
    expect(plain.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // two scheduler intervals
    expect(await status(plain.ok ? plain.jobId : "")).toMatchObject({
      state: "queued",
      reason: "qw (waiting)",
    });
    const unknownQueue = await submit("qsub -terse -w e -q nosuch.q job.sh");
    expect(unknownQueue).toEqual({
      ok: false,
      code: "REJECTED",
      message: 'Job was rejected because job requests unknown queue "nosuch.q"',
    });
  });

  it("a disabled queue: -w e (the adapter's) accepts the job and it waits; only -w p, which never submits, refuses it", async () => {
    const accepted = await submit(
      `${adapter.submitCommand(`${dir}/job.sh`).replace("qsub ", `qsub -q ${info.disabledQueue} `)}`,
    );
    expect(accepted.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await status(accepted.ok ? accepted.jobId : "")).state).toBe("queued");
    const poked = await submit(`qsub -terse -w p -q ${info.disabledQueue} job.sh`);
    expect(poked.ok).toBe(false);
    expect(poked.ok ? "" : poked.message).toMatch(/dropped because it is temporarily not available/);
  });

  it("reads a job that ran as running, then ended with its exit status from qacct", async () => {
    const r = await submit(`${adapter.submitCommand(`${dir}/job.sh`)} 3 7`);
    expect(r.ok).toBe(true);
    const id = r.ok ? r.jobId : "";
    await until("the job to run", 20_000, async () => (await status(id)).state === "running");
    await until("the job to end", 20_000, async () => (await status(id)).state === "ended");
    await until("qacct's exit status", 20_000, async () =>
      /exit_status 7/.test((await status(id)).reason ?? ""),
    );
    expect(sgeJobsOf(info.user).map((j) => j.id)).not.toContain(id);
  });

  it("an unreachable qmaster leaves a job unknown, never ended", async () => {
    const r = await submit(
      adapter.submitCommand(`${dir}/job.sh`).replace("qsub ", `qsub -q ${info.disabledQueue} `),
    );
    const st = await status(r.ok ? r.jobId : "", "export SGE_QMASTER_PORT=1; ");
    expect(st.state).toBe("unknown");
    expect(st.reason).toMatch(
      /^qstat did not answer: commlib error: got select error \(Connection refused\)/,
    );
    const del = await exec(`SGE_QMASTER_PORT=1 ${adapter.cancelCommand(r.ok ? r.jobId : "")}`);
    expect(del.code).not.toBe(0);
  });

  it("the probe, run as the user over ssh, reads both queues with their slots, h_rt and state", async () => {
    const probe = probeFor("sge")!;
    const r = await exec(probe.command);
    expect(r.code, r.stderr).toBe(0);
    const snap = probe.parse(r.stdout, { resourceId: "r", label: "sge", host: cl.host, now: new Date() });
    const q = new Map(snap.queues.map((x) => [x.name, x]));
    expect(q.get(info.enabledQueue)).toMatchObject({
      enabled: true,
      isDefault: true,
      maxWalltimeSeconds: info.queues[info.enabledQueue]!.hRtMinutes * 60,
      coresTotal: info.slots,
    });
    expect(q.get(info.disabledQueue)).toMatchObject({
      enabled: false,
      maxWalltimeSeconds: 3600,
      coresTotal: 1,
      coresFree: 0,
    });
    expect(snap.nodes).toBe(1);
  });
});
