import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { failure, transportConformance } from "../test-support/transport-conformance";
import { LocalTransport } from "./local";

transportConformance("local", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "em-local-transport-"));
  return { transport: new LocalTransport(), make: () => new LocalTransport(), dir };
});

describe("local transport specifics", () => {
  it("starts commands in cwd and resolves relative paths from it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "em-local-cwd-"));
    const t = new LocalTransport({ cwd: dir });
    await t.writeFile("rel.txt", "here");
    expect((await t.exec("pwd; cat rel.txt")).stdout).toBe(`${dir}\nhere`);
    expect(t.resolve("rel.txt")).toBe(path.join(dir, "rel.txt"));
    await t.exec(`rm -rf '${dir}'`);
  });

  it("kills the command's children too when it times out", async () => {
    const t = new LocalTransport();
    const e = await failure(t.exec("(sleep 27.1828 & wait)", { timeoutMs: 300 }));
    expect(e.code).toBe("TIMEOUT");
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.exec("pgrep -f 'sleep 27[.]1828' || echo none")).stdout.trim()).toBe("none");
  });
});
