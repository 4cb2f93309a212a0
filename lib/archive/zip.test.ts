import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { zipFiles } from "./zip";

describe("zipFiles (native deflate)", () => {
  const log = Array.from({ length: 50_000 }, (_, i) => `{"seq":${i},"to":"DONE","data":{"é":${i % 7}}}\n`);
  const chunks = [0, 20_000, 40_000].map((a) => Buffer.from(log.slice(a, a + 20_000).join(""), "utf8"));
  const zip = zipFiles(
    [
      { name: "run-3-x/events.jsonl", data: chunks },
      { name: "run-3-x/report.txt", data: Buffer.from("Ünïcode report\n") },
      { name: "run-3-x/empty.txt", data: new Uint8Array(0) },
    ],
    { level: 1, now: new Date(2026, 11, 6, 3, 30, 10) },
  );

  it("is read back byte for byte by another implementation (fflate), chunks joined", () => {
    const out = unzipSync(zip);
    expect(Object.keys(out)).toEqual(["run-3-x/events.jsonl", "run-3-x/report.txt", "run-3-x/empty.txt"]);
    expect(Buffer.from(out["run-3-x/events.jsonl"]!).toString("utf8")).toBe(log.join(""));
    expect(Buffer.from(out["run-3-x/report.txt"]!).toString("utf8")).toBe("Ünïcode report\n");
    expect(out["run-3-x/empty.txt"]!.length).toBe(0);
    expect(zip.length).toBeLessThan(Buffer.byteLength(log.join("")) / 5);
  });

  it("passes Info-ZIP's own test (CRCs, sizes, directory) where unzip is installed", () => {
    let unzip = true;
    try {
      execFileSync("unzip", ["-v"], { stdio: "ignore" });
    } catch {
      unzip = false;
    }
    if (!unzip) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), "em-zip-"));
    try {
      writeFileSync(path.join(dir, "a.zip"), zip);
      const out = execFileSync("unzip", ["-t", path.join(dir, "a.zip")], { encoding: "utf8" });
      expect(out).toMatch(/No errors detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
