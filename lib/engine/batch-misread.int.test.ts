import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEvents } from "../db/events";
import { owesConfirmation } from "./job-ends";
import type { PilotSite } from "./ports";
import { getBatchAdapter, transportFor } from "../resources/access";
import { runEndsSettled } from "./run-end";
import { remoteSite } from "./sites/remote";
import { clusterTestBed, clusterUser, demoSkeleton, startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";
import type { Transport } from "../transport/types";

// The batch system misread, for real, on the loopback SLURM cluster. The SLURM client commands
// the engine runs are pointed (SLURM_CONF, for a few calls) at controller ports that fail the
// way a real controller or network does: one reads the request and closes without a reply
// ("Zero Bytes were transmitted or received"), one has nothing listening ("Unable to contact
// slurm controller (connect failure)"). TEST-ONLY FAULT SWITCH: a wrapper around the real SSH
// transport that prefixes `export SLURM_CONF=…;` to the next N status or cancel commands; the
// commands, the errors and the cluster are real.
const SECRET = "m".repeat(43);
const bed = clusterTestBed("em-batch-misread-", SECRET);
process.env.EMANAGER_POLL_INTERVAL_S = "1";

const dir = mkdtempSync(path.join(os.tmpdir(), "em-bad-slurm-"));
chmodSync(dir, 0o755);
const closer = net.createServer((s) => s.once("data", () => setTimeout(() => s.end(), 20)));
afterAll(() => closer.close());

/** slurm.conf with the controller at `port` and a short message timeout, readable by the cluster user */
function badConf(name: string, port: number): string {
  const conf = readFileSync("/etc/slurm/slurm.conf", "utf8")
    .replace(/^SlurmctldPort=.*$/m, "")
    .replace(/^MessageTimeout=.*$/m, "");
  const file = path.join(dir, `${name}.conf`);
  writeFileSync(file, `${conf}\nSlurmctldPort=${port}\nMessageTimeout=2\n`, { mode: 0o644 });
  return file;
}

interface Faults {
  status: number;
  cancel: number;
  seen: string[];
}

/** TEST-ONLY: the next `status` squeue/scontrol calls and `cancel` scancel calls go to a failing controller. */
function faulty(t: Transport, f: Faults, statusConf: string, cancelConf: string): Transport {
  const w = Object.create(t) as Transport;
  w.exec = async (cmd, opts) => {
    let c = cmd;
    if (/^squeue /.test(cmd) && f.status > 0) {
      f.status--;
      c = `export SLURM_CONF=${statusConf}; ${cmd}`;
    } else if (/^scancel /.test(cmd) && f.cancel > 0) {
      f.cancel--;
      c = `export SLURM_CONF=${cancelConf}; ${cmd}`;
    }
    const r = await t.exec(c, opts);
    if (c !== cmd)
      f.seen.push(
        `${cmd.split(" ")[0]} → exit ${r.code}: ${(r.stdout + r.stderr).trim().split("\n").slice(-1)[0]}`,
      );
    return r;
  };
  return w;
}

const squeue = (jobId: string) =>
  spawnSync("squeue", ["-h", "-j", jobId, "-o", "%T"], { encoding: "utf8" }).stdout.trim();

describe("a batch system that does not answer is never read as 'job ended', and given-up jobs are cancelled until SLURM confirms", () => {
  it("transient status errors leave the pilot alone; the pending pilot's failed cancel is repeated until its job is gone", async () => {
    await new Promise<void>((r) => closer.listen(0, "127.0.0.1", () => r()));
    const closing = badConf("closing", (closer.address() as net.AddressInfo).port);
    const nobody = badConf("nobody", 1); // nothing listens on port 1
    const db = bed.db();
    const { user, resource } = await clusterUser(db, bed.cluster(), "batch-misread@x.org", SECRET);
    // stampede runs the work; gordon is DOWN, so its pilot stays queued and is cancelled when the run ends
    const res = await Promise.all(
      ["stampede", "gordon"].map((label) => resource(label, "slurm", { defaultQueue: label })),
    );
    const { run } = await startRun(
      db,
      user.id,
      "misread",
      demoSkeleton("uniform 1", "uniform 1"),
      res.map((r) => ({ resourceId: r.id, resource: r.label, kind: "slurm", queue: r.label, cores: 4 })),
    );

    const faults: Faults = { status: 4, cancel: 0, seen: [] };
    const logs: string[] = [];
    const ctx = engineContext(db, { log: (m) => logs.push(m) });
    const sites = new Map<string, PilotSite>();
    ctx.site = async (resourceId, kind) => {
      let s = sites.get(resourceId!);
      if (!s) {
        const { transport, workDir } = await transportFor(db, resourceId!, SECRET);
        s = remoteSite(faulty(transport, faults, closing, nobody), getBatchAdapter(kind), workDir);
        sites.set(resourceId!, s);
      }
      return s;
    };

    const end = Date.now() + 100_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const r = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      // once the status faults are used up, the end-of-run cancels fail next (3 times)
      if (faults.status === 0 && faults.cancel === 0 && !faults.seen.some((s) => s.startsWith("scancel")))
        faults.cancel = 3;
      if (r.state !== "ACTIVE" && r.state !== "NEW") break;
      if (Date.now() > end) throw new Error(`the run did not finish: ${logs.slice(-5).join(" / ")}`);
      await new Promise((res2) => setTimeout(res2, 200));
    }
    const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect([final.state, final.stateReason]).toEqual(["DONE", "all 21 task(s) done"]);
    // the status faults were real SLURM errors, and they were hit
    expect(faults.seen.filter((s) => s.startsWith("squeue")).length).toBe(4);
    expect(faults.seen.find((s) => s.startsWith("squeue"))).toMatch(
      /Zero Bytes were transmitted or received/,
    );
    const pilots = await db.pilot.findMany({ where: { runId: run.id }, orderBy: { index: "asc" } });
    const [work, pending] = pilots;
    // no pilot was FAILED by a status that did not answer
    expect(work!.state).toBe("DONE");
    expect((await readEvents(db, run.id)).filter((e) => e.entity === "pilot" && e.to === "FAILED")).toEqual(
      [],
    );
    expect(pending!.state).toBe("CANCELED");
    expect(pending!.jobId).toBeTruthy();

    // the run is over; the engine keeps ticking (the run-end sweep) until gordon's job is confirmed gone
    const settleBy = Date.now() + 60_000;
    for (;;) {
      await engineTick(ctx, [run.id]);
      const p = await db.pilot.findUniqueOrThrow({ where: { id: pending!.id } });
      if (!owesConfirmation(p) && faults.cancel === 0) break;
      if (Date.now() > settleBy)
        throw new Error(
          `job ${pending!.jobId} was not confirmed gone: squeue says ${squeue(pending!.jobId!)}; ${logs.slice(-4).join(" / ")}`,
        );
      await new Promise((res2) => setTimeout(res2, 300));
    }
    await runEndsSettled(10_000);
    const cancels = faults.seen.filter((s) => s.startsWith("scancel"));
    expect(cancels).toHaveLength(3);
    expect(cancels[0]).toMatch(/Unable to contact slurm controller \(connect failure\)/);
    expect(logs.some((l) => /job \d+ not confirmed gone yet/.test(l))).toBe(true);
    // SLURM itself: the job is no longer queued (gone, or shown as CANCELLED until it is purged)
    expect(["", "CANCELLED"]).toContain(squeue(pending!.jobId!));
    for (const p of await db.pilot.findMany({ where: { runId: run.id } }))
      expect(owesConfirmation(p), p.label).toBe(false);
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).leaseUntil).toBeNull();
  }, 200_000);
});
