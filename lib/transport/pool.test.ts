import { afterEach, describe, expect, it, vi } from "vitest";
import { SshPool, optionsSignature } from "./pool";
import type { SshOptions } from "./ssh";
import type { Transport } from "./types";

/** A stand-in transport that records its options and whether it was closed. */
function fakeFactory() {
  const made: { o: SshOptions; closed: boolean }[] = [];
  const create = (o: SshOptions): Transport => {
    const rec = { o, closed: false };
    made.push(rec);
    const fail = () => Promise.reject(new Error("not used"));
    return {
      exec: async () => ({
        code: rec.closed ? 255 : 0,
        signal: null,
        stdout: String(made.indexOf(rec)),
        stderr: "",
      }),
      writeFile: fail,
      readFile: fail,
      rename: fail,
      mkdirp: fail,
      stat: fail,
      close: async () => void (rec.closed = true),
    };
  };
  return { made, create };
}

const O: SshOptions = { host: "h", port: 22, username: "u", privateKey: "k", hostKey: "AAAA" };

describe("SshPool", () => {
  afterEach(() => vi.useRealTimers());

  it("shares one transport per key and closes it after idleMs without leases", async () => {
    vi.useFakeTimers();
    const f = fakeFactory();
    const pool = new SshPool({ idleMs: 1_000, create: f.create });
    const a = pool.lease("r1:u", O);
    const b = pool.lease("r1:u", O);
    expect([(await a.exec("x")).stdout, (await b.exec("x")).stdout, f.made.length]).toEqual(["0", "0", 1]);
    await a.close();
    await a.close(); // releasing twice counts once
    vi.advanceTimersByTime(5_000);
    expect(f.made[0]?.closed).toBe(false); // b still holds it
    await b.close();
    vi.advanceTimersByTime(999);
    const c = pool.lease("r1:u", O); // back in time: the idle timer is cancelled
    vi.advanceTimersByTime(5_000);
    expect([f.made.length, f.made[0]?.closed]).toEqual([1, false]);
    await c.close();
    vi.advanceTimersByTime(1_000);
    expect([f.made[0]?.closed, pool.size]).toEqual([true, 0]);
  });

  it("retires a connection whose options changed once its leases are gone", async () => {
    const f = fakeFactory();
    const pool = new SshPool({ create: f.create });
    const old = pool.lease("r1:u", O);
    const fresh = pool.lease("r1:u", { ...O, hostKey: "BBBB" });
    expect([f.made.length, pool.size, f.made[0]?.closed]).toEqual([2, 2, false]);
    expect((await old.exec("x")).stdout).toBe("0");
    await old.close();
    expect([f.made[0]?.closed, pool.size]).toEqual([true, 1]);
    expect((await fresh.exec("x")).stdout).toBe("1");
    await pool.closeAll();
    expect([f.made[1]?.closed, pool.size]).toEqual([true, 0]);
  });

  it("refuses calls on a released lease", async () => {
    const pool = new SshPool({ create: fakeFactory().create });
    const l = pool.lease("k", O);
    await l.close();
    await expect(l.exec("x")).rejects.toMatchObject({ code: "DISCONNECTED", retryable: false });
    await pool.closeAll();
  });

  it("tells option sets apart without keeping secrets in the signature", () => {
    const s = optionsSignature(O);
    expect(s).toMatch(/^[0-9a-f]{64}$/);
    expect(optionsSignature({ ...O })).toBe(s);
    for (const o of [
      { port: 2222 },
      { privateKey: "k2" },
      { passphrase: "p" },
      { hostKey: null },
      { agent: "/sock" },
    ]) {
      expect(optionsSignature({ ...O, ...o })).not.toBe(s);
    }
  });
});
