import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sh } from "../shell/quote";
import { clusterAccess, type ClusterAccess } from "../test-support/cluster";
import { SshPool } from "./pool";
import type { SshTransport } from "./ssh";

// SLURM through the transport, as the engine uses it, and the connection pool.
let c: ClusterAccess;
let t: SshTransport;
beforeAll(() => {
  c = clusterAccess();
  t = c.transport();
});
afterAll(() => t.close());

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("SLURM over the SSH transport", () => {
  it("submits to stampede, sees the job in squeue, and the job writes into the home directory", async () => {
    const out = `${c.info.home}/em-sbatch-${process.pid}-${Date.now()}.out`;
    const sub = await t.exec(
      `sbatch --parsable -p stampede -t 1 -n 2 -J em-transport-test -o /dev/null --wrap ${sh(`echo "job $SLURM_JOB_ID on $SLURM_JOB_PARTITION with $SLURM_NTASKS" > ${out}`)}`,
    );
    expect(sub.code).toBe(0);
    const id = sub.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    const seen = await t.exec(`squeue -h -j ${id} -o '%i|%P|%T' ; true`);
    expect(seen.stdout === "" || seen.stdout.startsWith(`${id}|stampede|`)).toBe(true);
    const done = await until(
      () => t.stat(out),
      (s) => (s?.size ?? 0) > 0,
    );
    expect(done).not.toBeNull();
    expect((await t.readFile(out)).toString()).toBe(`job ${id} on stampede with 2\n`);
    await t.exec(`rm -f ${sh(out)}`);
  });

  it("gets gordon's job accepted and PENDING (PartitionDown), then cancels it", async () => {
    const id = (
      await t.exec("sbatch --parsable -p gordon -t 1 -J em-transport-gordon -o /dev/null --wrap true")
    ).stdout.trim();
    const state = await until(
      () => t.exec(`squeue -h -j ${id} -o '%T|%r'`).then((r) => r.stdout.trim()),
      (s) => s === "PENDING|PartitionDown",
      5_000,
    );
    expect(state).toBe("PENDING|PartitionDown");
    expect((await t.exec(`scancel ${id}`)).code).toBe(0);
    const after = await until(
      () => t.exec(`squeue -h -j ${id} -o %T 2>/dev/null`).then((r) => r.stdout.trim()),
      (s) => s === "" || s === "CANCELLED",
      5_000,
    );
    expect(["", "CANCELLED"]).toContain(after);
  });

  it("gets blacklight's job refused by sbatch with SLURM's own message", async () => {
    const r = await t.exec("sbatch -p blacklight -t 1 -o /dev/null --wrap true");
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(c.info.partitions.blacklight?.sbatchStderr);
    expect(r.stderr.trim()).toBe(
      "sbatch: error: Batch job submission failed: Required partition not available (inactive or drain)",
    );
  });

  it("refuses a walltime beyond a partition's limit at submission, as real sites do", async () => {
    const r = await t.exec("sbatch -p trestles -t 31 -o /dev/null --wrap true");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Requested time limit is invalid (missing or exceeds some limit)");
  });

  it("reads every partition with its limit from sinfo, as cluster.json describes them", async () => {
    const rows = (await t.exec("sinfo -h -o '%R|%l|%a'")).stdout
      .trim()
      .split("\n")
      .map((l) => l.split("|"));
    const limits = Object.fromEntries(rows.map(([p, l]) => [p, l]));
    expect(Object.keys(limits).sort()).toEqual(Object.keys(c.info.partitions).sort());
    expect(limits).toMatchObject({
      stampede: "1:00:00",
      trestles: "30:00",
      hopper: "2:00:00",
      debug: "10:00",
    });
  });
});

describe("the connection pool", () => {
  it("shares one connection per key, and opens a new one when the key's options change", async () => {
    const pool = new SshPool({ idleMs: 60_000 });
    const opts = {
      host: c.info.host,
      port: c.info.port,
      username: c.info.user,
      privateKey: c.key,
      hostKey: c.info.hostKey,
    };
    const a = pool.lease("stampede:hpcuser", opts);
    const b = pool.lease("stampede:hpcuser", opts);
    // Every channel of one connection is served by the same sshd session process.
    const [pa, pb] = await Promise.all([a.exec("echo $PPID"), b.exec("echo $PPID")]);
    expect(pa.stdout).toBe(pb.stdout);
    expect(pool.size).toBe(1);
    await a.close();
    expect((await a.exec("true").catch((e: Error) => e.message)) as string).toMatch(
      /lease was already closed/,
    );
    expect((await b.exec("echo $PPID")).stdout).toBe(pb.stdout);
    const other = pool.lease("trestles:hpcuser", opts);
    expect((await other.exec("echo $PPID")).stdout).not.toBe(pb.stdout);
    const repinned = pool.lease("stampede:hpcuser", {
      ...opts,
      connectTimeoutMs: 5_000,
      trustOnFirstUse: true,
    });
    expect((await repinned.exec("echo $PPID")).stdout).not.toBe(pb.stdout);
    await Promise.all([b.close(), other.close(), repinned.close()]);
    await pool.closeAll();
    expect(pool.size).toBe(0);
  });
});
