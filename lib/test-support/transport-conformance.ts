import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sh } from "../shell/quote";
import { TransportError, type Transport } from "../transport/types";

/**
 * The Transport contract, as tests every implementation must pass (lib/transport/local.test.ts runs it on
 * this machine, lib/transport/ssh.int.test.ts against the loopback sshd). `env()` is read in beforeAll:
 * a transport and an existing, empty, writable directory given as an absolute path.
 */
export interface ConformanceEnv {
  transport: Transport;
  make: () => Transport;
  dir: string;
}

export async function failure(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (e: unknown) {
    if (e instanceof TransportError) return e;
    throw e;
  }
  throw new Error("expected a TransportError, but the call succeeded");
}

/** Values that would each break a naively quoted command line. */
export const NASTY = [
  "it's",
  "$(id)",
  "`id`",
  "; rm -rf ~",
  "a\nb",
  "*",
  '"',
  "\\",
  "$HOME",
  "&& echo hi",
  "| cat",
  "> x",
  "-n",
  " lead",
  "tab\there",
  "",
  "é€😀",
  "--",
  "!!",
  "#c",
  "~",
  "${PATH}",
  "\\'",
];

export function transportConformance(name: string, env: () => Promise<ConformanceEnv>): void {
  describe(`${name}: the Transport contract`, () => {
    let t: Transport;
    let dir: string;
    let make: () => Transport;
    beforeAll(async () => {
      ({ transport: t, dir, make } = await env());
    });
    afterAll(async () => {
      await t.exec(`rm -rf ${sh(dir)}`);
    });

    it("runs a command and returns its exit status, stdout and stderr", async () => {
      expect(await t.exec("printf out; printf err >&2; exit 3")).toEqual({
        code: 3,
        signal: null,
        stdout: "out",
        stderr: "err",
      });
      expect(await t.exec("kill -TERM $$")).toMatchObject({ code: null, signal: "SIGTERM" });
    });

    it("passes values with shell metacharacters verbatim when quoted with sh()", async () => {
      const r = await t.exec(`printf '%s\\0' ${NASTY.map(sh).join(" ")}`);
      expect(r.stdout.split("\0").slice(0, -1)).toEqual(NASTY);
      const odd = `${dir}/${"it's a $(file) `x`; *"}`;
      await t.exec(`touch ${sh(odd)}`);
      expect(await t.stat(odd)).toMatchObject({ size: 0, isDirectory: false });
    });

    it("feeds stdin and always closes it", async () => {
      expect((await t.exec("cat", { stdin: "hello\nworld" })).stdout).toBe("hello\nworld");
      expect((await t.exec("wc -c", { stdin: randomBytes(300_000) })).stdout.trim()).toBe("300000");
      expect(await t.exec("cat; echo done")).toMatchObject({ code: 0, stdout: "done\n" });
    });

    it("returns large output with multi-byte characters intact", async () => {
      const r = await t.exec("yes 'é€😀' | head -n 50000");
      expect(r.stdout.length).toBe("é€😀\n".length * 50_000);
      expect(r.stdout).toBe("é€😀\n".repeat(50_000));
    });

    it("stops a command that outlives its timeout, with a clear error", async () => {
      const t0 = Date.now();
      const e = await failure(t.exec("sleep 31.4159", { timeoutMs: 500 }));
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(e.code).toBe("TIMEOUT");
      expect(e.retryable).toBe(true);
      expect(e.message).toMatch(/`sleep 31\.4159` on .+ took longer than 0\.5 s/);
      await new Promise((r) => setTimeout(r, 300));
      expect((await t.exec("pgrep -f 'sleep 31[.]4159' || echo none")).stdout.trim()).toBe("none");
    });

    it("writes and reads files: text, binary, empty, ranges, modes", async () => {
      const bin = Buffer.from(Array.from({ length: 256 * 1000 }, (_, i) => i % 256));
      await t.writeFile(`${dir}/text`, "héllo world");
      await t.writeFile(`${dir}/bin`, bin);
      await t.writeFile(`${dir}/empty`, "");
      expect((await t.readFile(`${dir}/text`)).toString()).toBe("héllo world");
      expect((await t.readFile(`${dir}/bin`)).equals(bin)).toBe(true);
      expect((await t.readFile(`${dir}/empty`)).length).toBe(0);
      expect((await t.readFile(`${dir}/text`, { offset: 7 })).toString()).toBe("world");
      expect((await t.readFile(`${dir}/bin`, { offset: 1000, maxBytes: 3 })).toJSON().data).toEqual([
        232, 233, 234,
      ]);
      expect((await t.readFile(`${dir}/text`, { offset: 99 })).length).toBe(0);
      await t.writeFile(`${dir}/script`, "#!/bin/sh\necho ran\n", { mode: 0o755 });
      await t.writeFile(`${dir}/text`, "secret", { mode: 0o600 });
      expect(
        (await t.exec(`stat -c %a ${sh(`${dir}/script`)} ${sh(`${dir}/text`)}; ${sh(`${dir}/script`)}`))
          .stdout,
      ).toBe("755\n600\nran\n");
    });

    it("reports a missing file as REMOTE with `missing`, and stat as null", async () => {
      const e = await failure(t.readFile(`${dir}/nope`));
      expect([e.code, e.detail.missing, e.retryable]).toEqual(["REMOTE", true, false]);
      expect(e.message).toContain(`${dir}/nope`);
      expect(await t.stat(`${dir}/nope`)).toBeNull();
    });

    it("stats files and directories", async () => {
      await t.writeFile(`${dir}/sized`, "12345");
      const st = await t.stat(`${dir}/sized`);
      const mtime = Number((await t.exec(`stat -c %Y ${sh(`${dir}/sized`)}`)).stdout) * 1000;
      expect(st).toMatchObject({ size: 5, isDirectory: false });
      expect(Math.abs((st?.mtimeMs ?? 0) - mtime)).toBeLessThan(1000);
      expect((await t.stat(dir))?.isDirectory).toBe(true);
    });

    it("renames atomically over an existing target", async () => {
      await t.writeFile(`${dir}/.batch.tmp`, "new");
      await t.writeFile(`${dir}/batch`, "old");
      await t.rename(`${dir}/.batch.tmp`, `${dir}/batch`);
      expect((await t.readFile(`${dir}/batch`)).toString()).toBe("new");
      expect(await t.stat(`${dir}/.batch.tmp`)).toBeNull();
      expect((await failure(t.rename(`${dir}/absent`, `${dir}/x`))).code).toBe("REMOTE");
    });

    it("creates directories with their parents, again and again, but not over a file", async () => {
      await t.mkdirp(`${dir}/a/b/c`);
      await t.mkdirp(`${dir}/a/b/c`);
      await t.writeFile(`${dir}/a/b/c/f`, "x");
      expect((await t.stat(`${dir}/a/b`))?.isDirectory).toBe(true);
      expect((await failure(t.mkdirp(`${dir}/a/b/c/f/g`))).code).toBe("REMOTE");
    });

    it("resolves ~/ to the login directory for file calls, as the shell does", async () => {
      const name = `.em-transport-${randomBytes(4).toString("hex")}`;
      try {
        await t.writeFile(`~/${name}`, "tilde");
        expect((await t.exec(`cat ~/${name}`)).stdout).toBe("tilde");
        expect((await t.stat(`~/${name}`))?.size).toBe(5);
      } finally {
        await t.exec(`rm -f ~/${name}`);
      }
    });

    it("completes many concurrent calls", async () => {
      const n = 30;
      const [execs, files] = await Promise.all([
        Promise.all(Array.from({ length: n }, (_, i) => t.exec(`sleep 0.1; echo ${i}`))),
        Promise.all(
          Array.from({ length: n }, async (_, i) => {
            await t.writeFile(`${dir}/c${i}`, `v${i}`);
            return (await t.readFile(`${dir}/c${i}`)).toString();
          }),
        ),
      ]);
      expect(execs.map((r) => r.stdout)).toEqual(Array.from({ length: n }, (_, i) => `${i}\n`));
      expect(files).toEqual(Array.from({ length: n }, (_, i) => `v${i}`));
    });

    it("refuses calls after close()", async () => {
      const other = make();
      expect((await other.exec("echo up")).stdout).toBe("up\n");
      await other.close();
      const e = await failure(other.exec("echo again"));
      expect([e.code, e.retryable]).toEqual(["DISCONNECTED", false]);
      expect((await failure(other.stat(dir))).code).toBe("DISCONNECTED");
    });
  });
}
