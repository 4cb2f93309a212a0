import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { readEvents } from "../db/events";
import type { PilotSite } from "./ports";
import { getBatchAdapter, transportFor } from "../resources/access";
import { forgetRuntime } from "./runtime";
import { remoteSite } from "./sites/remote";
import { clusterTestBed, clusterUser, demoSkeleton, startRun } from "../test-support/engine-run";
import { engineContext, engineTick } from "./wiring";
import type { Transport } from "../transport/types";

// A task hand-over whose SSH connection is cut right after the batch file was renamed into the
// agent's inbox, for real: the engine reaches the loopback sshd through a TCP relay in this
// process. When the first batch's rename goes out, the relay holds back what the server sends;
// once the renamed file is on disk (the server did the rename), every connection is cut, so
// the rename's reply is lost and the call fails as it would on a real network. TEST-ONLY: the
// wrapper around the transport only times the cut; the SSH server, the rename, the cut and the
// agent are real. The tasks of that batch must run exactly once, and every task end DONE once.
const SECRET = "k".repeat(43);
const bed = clusterTestBed("em-handover-cut-", SECRET);
process.env.EMANAGER_POLL_INTERVAL_S = "1";

/** A TCP relay to sshd that can hold back the server's bytes and cut every connection. */
class Relay {
  hold = false;
  cuts = 0;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  readonly server: net.Server;
  constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const up = net.connect(target.port, target.host);
      const pair: [net.Socket, net.Socket] = [client, up];
      this.pairs.add(pair);
      client.on("data", (d) => up.write(d));
      // while held, the server's bytes are dropped with the connection (never delivered)
      up.on("data", (d) => {
        if (!this.hold) client.write(d);
      });
      const end = () => {
        client.destroy();
        up.destroy();
        this.pairs.delete(pair);
      };
      client.on("close", end).on("error", end);
      up.on("close", end).on("error", end);
    });
  }
  listen(): Promise<number> {
    return new Promise((r) =>
      this.server.listen(0, "127.0.0.1", () => r((this.server.address() as net.AddressInfo).port)),
    );
  }
  cutAll(): void {
    this.cuts++;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
    this.hold = false;
  }
}

let relay: Relay | null = null;
afterAll(() => relay?.server.close());

/** TEST-ONLY: the first rename into an inbox is followed by a cut before its reply arrives. */
function cutAfterFirstBatchRename(t: Transport, r: Relay, fired: { at: string | null }): Transport {
  const w = Object.create(t) as Transport;
  w.rename = async (from, to, opts) => {
    if (fired.at || !/\/inbox\/batch-\d+\.tsv$/.test(to)) return t.rename(from, to, opts);
    fired.at = to;
    r.hold = true;
    const call = t.rename(from, to, opts);
    // the loopback cluster's home is this machine's: wait until the server has done the rename
    const claimed = to.replace("/inbox/", "/inbox/claimed/");
    const deadline = Date.now() + 10_000;
    while (!existsSync(to) && !existsSync(claimed) && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 5));
    r.cutAll();
    return call;
  };
  return w;
}

async function cutRun(email: string, restartAfterCut: boolean) {
  const db = bed.db();
  const cl = bed.cluster();
  relay ??= new Relay({ host: cl.host, port: cl.port });
  const port = relay.server.listening
    ? (relay.server.address() as net.AddressInfo).port
    : await relay.listen();
  const cutsBefore = relay.cuts;
  const { user, resource } = await clusterUser(db, cl, email, SECRET);
  const r = await resource("stampede", "slurm", { defaultQueue: "stampede" });
  await db.resource.update({ where: { id: r.id }, data: { port } });
  const { run } = await startRun(db, user.id, "cut", demoSkeleton("uniform 1", "uniform 1"), [
    { resourceId: r.id, resource: "stampede", kind: "slurm", queue: "stampede", cores: 4 },
  ]);

  const logs: string[] = [];
  const fired = { at: null as string | null };
  const engine = () => {
    const ctx = engineContext(db, { log: (m) => logs.push(m) });
    let site: PilotSite | null = null;
    ctx.site = async (resourceId, kind) => {
      if (!site) {
        const { transport, workDir } = await transportFor(db, resourceId!, SECRET);
        site = remoteSite(cutAfterFirstBatchRename(transport, relay!, fired), getBatchAdapter(kind), workDir);
      }
      return site;
    };
    return ctx;
  };
  let ctx = engine();
  let restarted = false;
  const end = Date.now() + 120_000;
  for (;;) {
    await engineTick(ctx, [run.id]);
    if (restartAfterCut && fired.at && !restarted) {
      // the server restarts before its next tick: what this engine knew in memory is gone
      restarted = true;
      forgetRuntime(run.id);
      ctx = engine();
    }
    const st = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).state;
    if (st !== "NEW" && st !== "ACTIVE") break;
    if (Date.now() > end) throw new Error(`the run did not finish: ${logs.slice(-5).join(" / ")}`);
    await new Promise((res) => setTimeout(res, 200));
  }
  const final = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  expect([final.state, final.stateReason]).toEqual(["DONE", "all 21 task(s) done"]);
  // the cut happened where it was meant to: the rename was done, its reply never came
  expect(relay.cuts - cutsBefore).toBe(1);
  expect(fired.at).toMatch(/\/inbox\/batch-00000000\.tsv$/);
  expect(logs.some((l) => /^dispatching \d+ task\(s\) to stampede/.test(l))).toBe(true);

  const events = await readEvents(db, run.id);
  const tasks = new Set(events.filter((e) => e.entity === "task").map((e) => e.entityId));
  expect(tasks.size).toBe(21);
  for (const id of tasks) {
    const mine = events.filter((e) => e.entity === "task" && e.entityId === id);
    // every task executed once, with attempt 0, and ended DONE once: no retry, no second copy
    expect(
      mine.filter((e) => e.to === "AGENT_EXECUTING").map((e) => e.data?.attempt ?? 0),
      id,
    ).toEqual([0]);
    expect(
      mine.filter((e) => e.to === "DONE"),
      id,
    ).toHaveLength(1);
    expect(
      mine.filter((e) => e.to === "TMGR_SCHEDULING_PENDING" && e.from !== "NEW"),
      id,
    ).toEqual([]);
  }
  const sandbox = fired.at!.replace(/\/inbox\/batch-\d+\.tsv$/, "");
  return { logs, log: readFileSync(`${sandbox}/events.log`, "utf8") };
}

describe("a task hand-over cut right after the rename into the agent's inbox", () => {
  it("is not lost and not run twice: the engine finds the batch with the agent and moves on", async () => {
    const { logs, log } = await cutRun("handover-cut@x.org", false);
    expect(
      logs.some((l) =>
        /^batch 0 \(\d+ task\(s\)\) handed to stampede after an interrupted hand-over$/.test(l),
      ),
    ).toBe(true);
    // the agent acknowledged batch 0 once, and never saw a second copy of it
    expect(log.match(/\tbatch_read\tbatch-00000000\.tsv\t/g)).toHaveLength(1);
    expect(log).not.toMatch(/\tinbox_error\t/);
  }, 180_000);

  it("and the server restarts before its next tick: the tasks are handed over again, same attempt, and run once", async () => {
    const { logs, log } = await cutRun("handover-cut-restart@x.org", true);
    expect(
      logs.some((l) => /^\d+ task\(s\) handed to stampede again after a restart \(batch \d+\)$/.test(l)),
    ).toBe(true);
    // the agent had batch 0; the copies in the new batch were recognised and ignored
    expect(log.match(/\tbatch_read\tbatch-00000000\.tsv\t/g)).toHaveLength(1);
    expect(log).toMatch(
      /\tinbox_error\tbatch-\d+\.tsv\t\d+\ttask \S+ attempt 0 was received before; this copy is ignored/,
    );
  }, 180_000);
});
