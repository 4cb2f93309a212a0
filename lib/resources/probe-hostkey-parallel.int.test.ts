import { describe, expect, it, vi } from "vitest";
import * as bundleA from "./admin";
import * as errorsA from "../transport/errors";
import { clusterTestBed, clusterUser } from "../test-support/engine-run";

// "An intermittent ERROR instead of HOSTKEY_UNKNOWN from a probe": reproduced as far as it can
// be, for real. Many probes of resources whose host key is not pinned run at once against the
// loopback sshd, through two separately loaded copies of the probe code (a production build
// loads lib/ once for server actions and once for route handlers; the SSH pool is shared
// between them through globalThis, so a connection made by one copy fails calls of the other
// with the first copy's TransportError class). Every outcome and every stored probe record
// must say HOSTKEY_UNKNOWN, with the offered key; none may be the catch-all ERROR. The first
// line of defence (isTransportError by name, 2026-11-25) covered lib/resources/admin.ts only; the
// `instanceof TransportError` checks elsewhere (ssh.ts, the remote site's retries) now agree
// across copies too (the brand in lib/transport/errors.ts), which the test checks first.
const SECRET = "p".repeat(43);
const bed = clusterTestBed("em-probe-hostkey-", SECRET);

describe("parallel probes of unpinned hosts, across two loaded copies of the code", () => {
  it("every one reports HOSTKEY_UNKNOWN with the offered key, never ERROR", async () => {
    const db = bed.db();
    const cl = bed.cluster();
    const { user, resource } = await clusterUser(db, cl, "hostkey-parallel@x.org", SECRET);
    // 6 resources on the same host (6 pooled connections), none pinned
    const res = [];
    for (let i = 0; i < 6; i++) {
      const r = await resource(`unpinned-${i}`, "slurm");
      await db.resource.update({ where: { id: r.id }, data: { hostKey: null, hostKeyAlgo: null } });
      res.push(r);
    }
    vi.resetModules();
    const bundleB = (await import("./admin")) as typeof bundleA;
    const errorsB = (await import("../transport/errors")) as typeof errorsA;
    const accessB = await import("./access");
    // two copies for real: two TransportError classes, one shared pool
    expect(errorsB.TransportError).not.toBe(errorsA.TransportError);
    const lease = (await accessB.transportFor(db, res[0]!.id, SECRET)).transport;
    const crossed = await lease.exec("true").then(
      () => null,
      (e: unknown) => e,
    );
    await lease.close();
    // the error a copy gets is made by whichever copy made the pooled connection; every copy
    // must recognise it, by `instanceof` too (lib/transport/errors.ts: the brand)
    expect([crossed instanceof errorsA.TransportError, crossed instanceof errorsB.TransportError]).toEqual([
      true,
      true,
    ]);
    expect(
      errorsA.isTransportError(crossed, "HOSTKEY_UNKNOWN") &&
        errorsB.isTransportError(crossed, "HOSTKEY_UNKNOWN"),
    ).toBe(true);
    expect(new errorsB.TransportError("AUTH", "x") instanceof errorsA.TransportError).toBe(true);
    expect(new Error("x") instanceof errorsB.TransportError).toBe(false);
    const outcomes: { code: string; fp?: string; message: string }[] = [];
    for (let round = 0; round < 3; round++) {
      const calls = res.flatMap((r, i) =>
        Array.from({ length: 8 }, (_, k) =>
          ((i + k) % 2 === 0 ? bundleA : bundleB).probeResource(db, user.id, r.id, SECRET),
        ),
      );
      for (const o of await Promise.all(calls)) {
        if (o.ok) throw new Error("an unpinned host was probed without its key being accepted");
        outcomes.push({ code: o.code, fp: o.hostKey?.fingerprint, message: o.message });
      }
    }
    expect(outcomes).toHaveLength(3 * 6 * 8);
    const codes = new Map<string, number>();
    for (const o of outcomes) codes.set(o.code, (codes.get(o.code) ?? 0) + 1);
    const odd = outcomes.filter((o) => o.code !== "HOSTKEY_UNKNOWN");
    expect(
      odd.map((o) => `${o.code}: ${o.message}`),
      JSON.stringify([...codes]),
    ).toEqual([]);
    expect(new Set(outcomes.map((o) => o.fp))).toEqual(new Set([expect.stringMatching(/^SHA256:/)]));
    const rows = await db.resourceSnapshot.findMany({ where: { resourceId: { in: res.map((r) => r.id) } } });
    expect(rows).toHaveLength(outcomes.length);
    expect(new Set(rows.map((r) => r.errorCode))).toEqual(new Set(["HOSTKEY_UNKNOWN"]));
  }, 180_000);
});
