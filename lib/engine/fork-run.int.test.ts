import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fork } from "../batch/fork";
import { SshTransport } from "../transport/ssh";
import type { JobStatus } from "../batch/types";
import {
  clusterTestBed,
  clusterUser,
  demoSkeleton,
  driveUntilFinal,
  startRun,
} from "../test-support/engine-run";

// The SC2014 demo on a `fork` resource: no batch system, the pilot started on the login host of
// the loopback sshd (127.0.0.1:2222) by the fork adapter, then driven by the real engine.
const SECRET = "f".repeat(43);
const bed = clusterTestBed("em-fork-run-", SECRET);

describe("a run on a fork resource", () => {
  it("runs the SC2014 demo on the login host and leaves no pilot process behind", async () => {
    const cl = bed.cluster();
    const { user, resource } = await clusterUser(bed.db(), cl, "fork@x.org", SECRET);
    const login = await resource("login", "fork", { workDir: "~/emanager-fork" });
    const { run, workload } = await startRun(
      bed.db(),
      user.id,
      "fork demo",
      demoSkeleton("uniform 1", "uniform 1"),
      [{ resourceId: login.id, resource: "login", kind: "fork", cores: 4 }],
    );
    const final = await driveUntilFinal(bed.db(), run.id, 120_000);
    expect(final.state, final.stateReason ?? "").toBe("DONE");
    for (const task of workload.tasks)
      for (const o of task.outputs) expect(statSync(path.join(final.dir!, o.path)).size).toBe(o.size);
    const pilot = await bed.db().pilot.findFirstOrThrow({ where: { runId: run.id } });
    expect(pilot.jobId).toMatch(/^\d+$/);
    expect(pilot.activeAt).not.toBeNull();
    // the agent drains and exits once the run is over; its process is then gone
    const t = new SshTransport({
      host: cl.host,
      port: cl.port,
      username: cl.user,
      privateKey: readFileSync(cl.privateKeyPath),
      hostKey: cl.hostKey,
    });
    try {
      const deadline = Date.now() + 15_000;
      let st: JobStatus = { state: "running" };
      while (st.state !== "ended" && Date.now() < deadline) {
        const r = await t.exec(fork.statusCommand([pilot.jobId!]));
        st = fork.parseStatus(r.stdout, r.stderr, [pilot.jobId!]).get(pilot.jobId!)!;
        if (st.state !== "ended") await new Promise((res) => setTimeout(res, 200));
      }
      expect(st.state, st.reason).toBe("ended");
    } finally {
      await t.close();
    }
  }, 150_000);
});
