import net from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { failure } from "../test-support/transport-conformance";
import { clusterAccess, dropConnection, type ClusterAccess } from "../test-support/cluster";

// Drops, outages, session limits and timeouts, against the real sshd on loopback.
let c: ClusterAccess;
beforeAll(() => {
  c = clusterAccess();
});

/** A TCP relay to the sshd that the test can cut and bring back, to play a network outage. */
class Relay {
  private readonly server = net.createServer((s) => this.relay(s));
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly to: number) {}
  private relay(s: net.Socket): void {
    const up = net.connect(this.to, "127.0.0.1");
    for (const x of [s, up]) {
      this.sockets.add(x);
      x.on("error", () => undefined);
      x.on("close", () => (this.sockets.delete(x), s.destroy(), up.destroy()));
    }
    s.pipe(up).pipe(s);
  }
  listen(port = 0): Promise<void> {
    return new Promise((r) =>
      this.server.listen(
        port,
        "127.0.0.1",
        () => ((this.port = (this.server.address() as net.AddressInfo).port), r()),
      ),
    );
  }
  cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe("ssh: a dropped connection", () => {
  it("is re-established by the very next call, even before the drop was noticed", async () => {
    const t = c.transport();
    const first = await dropConnection(t);
    const r = await t.exec("echo $PPID");
    expect(r.code).toBe(0);
    expect(Number(r.stdout)).not.toBe(first);
    await dropConnection(t);
    await new Promise((res) => setTimeout(res, 300)); // now the client has seen the close
    expect((await t.exec("echo again")).stdout).toBe("again\n");
    await dropConnection(t);
    expect(await t.stat(c.info.home)).toMatchObject({ isDirectory: true });
    await t.close();
  });

  it("fails a command that was running with DISCONNECTED (it may have run), then recovers", async () => {
    const t = c.transport();
    const running = t.exec("sleep 5");
    await new Promise((res) => setTimeout(res, 200));
    await dropConnection(t);
    const e = await failure(running);
    expect([e.code, e.retryable]).toEqual(["DISCONNECTED", true]);
    expect(e.message).toMatch(/lost while `sleep 5` ran/);
    expect((await t.exec("echo back")).stdout).toBe("back\n");
    await t.close();
  });

  it("reconnects with exponential backoff through an outage, and gives up with UNREACHABLE", async () => {
    const relay = new Relay(c.info.port);
    await relay.listen();
    const port = relay.port;
    const t = c.transport({ port, backoff: { baseMs: 200, maxMs: 2_000, factor: 2 }, reconnectAttempts: 5 });
    expect((await t.exec("echo up")).stdout).toBe("up\n");
    await relay.cut();
    setTimeout(() => void relay.listen(port), 700);
    const t0 = Date.now();
    expect((await t.exec("echo through")).stdout).toBe("through\n");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600); // refused at 0, 200, 600 ms; in at 1400 ms
    await relay.cut();
    const short = c.transport({
      port,
      backoff: { baseMs: 100, maxMs: 1_000, factor: 2 },
      reconnectAttempts: 2,
    });
    const e = await failure(short.exec("true"));
    expect(e.code).toBe("UNREACHABLE"); // never connected: no retries, at once
    await t.close();
    const gone = c.transport({
      port,
      reconnectAttempts: 2,
      backoff: { baseMs: 100, maxMs: 1_000, factor: 2 },
    });
    await relay.listen(port);
    await gone.exec("true");
    await relay.cut();
    const t1 = Date.now();
    expect((await failure(gone.exec("true"))).code).toBe("UNREACHABLE"); // after 100 + 200 ms of retries
    expect(Date.now() - t1).toBeGreaterThanOrEqual(300);
  });
});

describe("ssh: sessions and timeouts", () => {
  it("queues exec calls beyond the channel limit and completes them all", async () => {
    const t = c.transport({ maxChannels: 8 });
    const t0 = Date.now();
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => t.exec(`sleep 0.3; echo ${i}`)));
    expect(rs.map((r) => r.stdout)).toEqual(Array.from({ length: 40 }, (_, i) => `${i}\n`));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5 * 300); // 40 commands, 8 at a time
    await t.close();
  });

  it("retries channels the server refuses (a limit set above its MaxSessions)", async () => {
    const t = c.transport({ maxChannels: 16 });
    const rs = await Promise.all(Array.from({ length: 32 }, (_, i) => t.exec(`sleep 0.2; echo ${i}`)));
    expect(rs.map((r) => r.stdout)).toEqual(Array.from({ length: 32 }, (_, i) => `${i}\n`));
    await t.close();
  });

  it("times out hanging commands and frees their sessions for the next ones", async () => {
    const t = c.transport({ maxChannels: 8 });
    const hung = await Promise.all(
      Array.from({ length: 8 }, () => failure(t.exec("sleep 30", { timeoutMs: 400 }))),
    );
    expect(hung.map((e) => e.code)).toEqual(Array(8).fill("TIMEOUT"));
    const rs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.exec(`echo ${i}`, { timeoutMs: 5_000 })),
    );
    expect(rs.map((r) => r.code)).toEqual(Array(8).fill(0));
    await t.close();
  });

  it("counts queueing time against the call's timeout", async () => {
    const t = c.transport({ maxChannels: 1 });
    const long = t.exec("sleep 1");
    const e = await failure(t.exec("echo queued", { timeoutMs: 300 }));
    expect(e.code).toBe("TIMEOUT");
    expect((await long).code).toBe(0);
    await t.close();
  });
});
