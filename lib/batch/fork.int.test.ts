import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCluster } from "../../scripts/cluster/cluster-info";
import type { PilotJobSpec } from "./types";
import { FORK_PROBE, parseForkProbe } from "../bundle/probes";
import { SshTransport } from "../transport/ssh";
import { fork } from "./fork";

// `fork` for real: pilots started on the login host of the loopback sshd (127.0.0.1:2222),
// without a batch system, exactly as the engine's remote site does it (cd sandbox && submit).
// The whole engine on a fork resource is lib/engine/fork-run.int.test.ts.
let t: SshTransport;
let dir = "";
beforeAll(async () => {
  const cl = ensureCluster();
  t = new SshTransport({
    host: cl.host,
    port: cl.port,
    username: cl.user,
    privateKey: readFileSync(cl.privateKeyPath),
    hostKey: cl.hostKey,
  });
  dir = `${(await t.exec('printf %s "$HOME"')).stdout}/emanager-fork-test/${process.pid}-${Date.now()}`;
  await t.exec(`mkdir -p '${dir}'`);
});
afterAll(async () => {
  if (dir) await t.exec(`rm -rf '${dir}'`);
  await t.close();
});

async function status(id: string) {
  const r = await t.exec(fork.statusCommand([id]));
  return fork.parseStatus(r.stdout, r.stderr, [id]).get(id)!;
}
async function until(id: string, state: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while ((await status(id)).state !== state && Date.now() < deadline)
    await new Promise((res) => setTimeout(res, 150));
  return status(id);
}
/** Writes a stand-in agent (the job script execs it, as it execs the real one) and submits the job. */
async function submit(agent: string, name: string): Promise<string> {
  const sb = `${dir}/${name}`;
  await t.exec(`mkdir -p '${sb}'`);
  await t.writeFile(`${sb}/emanager-agent.sh`, agent, { mode: 0o755 });
  const spec: PilotJobSpec = {
    pilotId: name,
    sandbox: sb,
    jobName: name,
    cores: 1,
    nodes: 1,
    walltimeMinutes: 5,
    queue: null,
    project: null,
    envSetup: ["export EM_TEST=1"],
  };
  await t.writeFile(`${sb}/pilot.job`, fork.renderJobScript(spec), { mode: 0o755 });
  const sub = await t.exec(`cd '${sb}' && ${fork.submitCommand(`${sb}/pilot.job`)}`);
  const r = fork.parseSubmit(sub.stdout, sub.stderr, sub.code);
  if (!r.ok) throw new Error(r.message);
  return r.jobId;
}

describe("the fork adapter over real SSH", () => {
  it("starts a job in its own session, sees it run, cancels it with its children, and sees it ended by SIGTERM", async () => {
    // the stand-in starts a child, as the agent starts tasks
    const id = await submit("sleep 300 & wait\n", "cancelled");
    expect(await status(id)).toEqual({ state: "running", reason: "process running" });
    // the SSH call that submitted it has returned: the job does not hold a channel open
    expect((await t.exec(`ps -o sid= -p ${id}`)).stdout.trim()).toBe(id);
    await t.exec(fork.cancelCommand(id));
    expect(await until(id, "ended")).toEqual({
      state: "ended",
      reason: "the pilot was stopped by SIGTERM (exit code 143)",
    });
    // the child went with its session: no sleep 300 left behind ([3] keeps pgrep from matching its own shell)
    expect((await t.exec("pgrep -u hpcuser -f 'sleep [3]00' || true")).stdout.trim()).toBe("");
  }, 60_000);

  it("sees a job that exits by itself end, with its exit code", async () => {
    const ok = await submit("sleep 0.3; exit 0\n", "exits-0");
    const bad = await submit("sleep 0.3; echo failing >&2; exit 3\n", "exits-3");
    expect(await until(ok, "ended")).toEqual({
      state: "ended",
      reason: "the pilot process exited normally (exit code 0)",
    });
    expect(await until(bad, "ended")).toEqual({
      state: "ended",
      reason: "the pilot process failed with exit code 3",
    });
    expect((await t.exec(`cat '${dir}/exits-3/bootstrap.err'`)).stdout).toContain("failing");
  }, 60_000);

  it("probes the login host: its cores as one queue", async () => {
    const r = await t.exec(FORK_PROBE);
    const snap = parseForkProbe(r.stdout, {
      resourceId: "r",
      label: "login",
      host: "127.0.0.1",
      now: new Date(),
    });
    expect(snap.coresPerNode).toBe(Number((await t.exec("nproc")).stdout.trim()));
    expect(snap.queues[0]?.coresTotal).toBe(snap.coresPerNode);
  }, 30_000);

  it("reads a PID that was never a pilot (or was reused by another program) as ended, and asks about several at once", async () => {
    const sshd = (await t.exec("echo $PPID")).stdout.trim(); // a live process that is not ours
    const r = await t.exec(fork.statusCommand([sshd, "999999"]));
    const m = fork.parseStatus(r.stdout, r.stderr, [sshd, "999999"]);
    expect(m.get(sshd)?.state).toBe("ended");
    expect(m.get("999999")?.state).toBe("ended");
  }, 30_000);
});
