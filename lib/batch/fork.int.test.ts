import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { ensureCluster, type ClusterInfo } from "../engine/test-cluster";
import { clusterUser, demoSkeleton, driveUntilFinal, startRun } from "../engine/test-run";
import { SshTransport } from "../transport/ssh";
import { fork } from "./fork";

// `fork` for real: pilots started on the login host of the loopback sshd (127.0.0.1:2222),
// without a batch system, then a whole run on a fork resource through the engine.
const DATA = mkdtempSync(path.join(os.tmpdir(), "em-fork-"));
const SECRET = "f".repeat(43);
let cl: ClusterInfo;
let db: Db;
let t: SshTransport;
beforeAll(() => {
  process.env.EMANAGER_DATA_DIR = DATA;
  process.env.NEXTAUTH_SECRET = SECRET;
  cl = ensureCluster();
  db = openDb(`file:${path.join(DATA, "em.db")}`);
  t = new SshTransport({ host: cl.host, port: cl.port, username: cl.user, privateKey: readFileSync(cl.privateKeyPath), hostKey: cl.hostKey });
});
afterAll(async () => {
  await t.close();
  await db.$disconnect();
});

async function status(id: string) {
  const r = await t.exec(fork.statusCommand([id]));
  return fork.parseStatus(r.stdout, r.stderr, [id]).get(id)!;
}

describe("the fork adapter over real SSH", () => {
  it("starts a job in its own session, sees it run, cancels it with its children, and sees a finished one end", async () => {
    const home = (await t.exec("echo $HOME")).stdout.trim();
    const dir = `${home}/emanager-fork-test/${Date.now()}`;
    await t.mkdirp(dir);
    // a stand-in for the agent: it starts a child, as the agent starts tasks
    await t.writeFile(`${dir}/emanager-agent.sh`, "sleep 300 & wait\n", { mode: 0o755 });
    const spec = { pilotId: "p", sandbox: dir, jobName: "fork-test", cores: 1, nodes: 1, walltimeMinutes: 5, queue: null, project: null, envSetup: ["export EM_TEST=1"] };
    await t.writeFile(`${dir}/pilot.job`, fork.renderJobScript(spec), { mode: 0o755 });
    const sub = await t.exec(`cd ${dir} && ${fork.submitCommand(`${dir}/pilot.job`)}`);
    const r = fork.parseSubmit(sub.stdout, sub.stderr, sub.code);
    if (!r.ok) throw new Error(r.message);
    expect(await status(r.jobId)).toEqual({ state: "running", reason: "process running" });
    await t.exec(fork.cancelCommand(r.jobId));
    const deadline = Date.now() + 10_000;
    while ((await status(r.jobId)).state === "running" && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
    expect(await status(r.jobId)).toMatchObject({ state: "ended" });
    // the child went with its session: no sleep 300 left behind ([3] keeps pgrep from matching its own shell)
    expect((await t.exec("pgrep -u hpcuser -f 'sleep [3]00' || true")).stdout.trim()).toBe("");
    // a job that exits by itself
    await t.writeFile(`${dir}/emanager-agent.sh`, "exit 0\n", { mode: 0o755 });
    const sub2 = await t.exec(`cd ${dir} && ${fork.submitCommand(`${dir}/pilot.job`)}`);
    const r2 = fork.parseSubmit(sub2.stdout, sub2.stderr, sub2.code);
    if (!r2.ok) throw new Error(r2.message);
    await new Promise((res) => setTimeout(res, 500));
    expect(await status(r2.jobId)).toEqual({ state: "ended", reason: "the pilot process has exited" });
    await t.exec(`rm -rf ${dir}`);
  }, 60_000);

  it("runs the SC2014 demo on a fork resource through the engine", async () => {
    const { user, resource } = await clusterUser(db, cl, "fork@x.org", SECRET);
    const login = await resource("login", "fork", { workDir: "~/emanager-fork" });
    const { run, workload } = await startRun(db, user.id, "fork demo", demoSkeleton("uniform 1", "uniform 1"), [{ resourceId: login.id, resource: "login", kind: "fork", cores: 4 }]);
    const final = await driveUntilFinal(db, run.id, 120_000);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const task of workload.tasks) for (const o of task.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilot = await db.pilot.findFirstOrThrow({ where: { runId: run.id } });
    expect(pilot.jobId).toMatch(/^\d+$/);
    expect(pilot.activeAt).not.toBeNull();
  }, 150_000);
});
