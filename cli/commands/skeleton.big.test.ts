import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { iteratedSkeleton, skeletonText } from "../../lib/skeleton/test-helpers";

// The CLI in a child process with a small heap (issue 13): a skeleton that asks for too much is
// refused at its line, and the largest accepted one is emitted as it is generated.
const BIN = path.resolve(process.cwd(), "bin/emanager.mjs");
const dir = mkdtempSync(path.join(tmpdir(), "emanager-big-"));

interface Run {
  code: number | null;
  stderr: string;
  lines: number;
  first: string;
  last: string;
  chunks: number;
  /** ms from the first byte of output to the process's end */
  streamedFor: number;
}

/** Runs the CLI; stdout is only counted (a million-task JSON is over a gigabyte), never kept. */
function cli(heapMB: number, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMB}`, BIN, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let lines = 0;
    let first = "";
    let tail = "";
    let chunks = 0;
    let firstAt = 0;
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      if (chunks === 0) firstAt = performance.now();
      chunks += 1;
      if (first.length < 200) first += d.slice(0, 200);
      for (let i = d.indexOf("\n"); i >= 0; i = d.indexOf("\n", i + 1)) lines += 1;
      tail = (tail + d).slice(-400);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const rows = tail.split("\n");
      resolve({
        code,
        stderr,
        lines,
        first: first.split("\n")[0] ?? "",
        last: rows[rows.length - 2] ?? "",
        chunks,
        streamedFor: chunks ? performance.now() - firstAt : 0,
      });
    });
  });
}

describe("emanager skeleton in a small heap", () => {
  it("refuses Iteration_Num = 10000000 with FILE:LINE:COL and exit code 2 (256 MB heap)", async () => {
    const file = path.join(dir, "iterated.conf");
    writeFileSync(file, iteratedSkeleton(10_000_000));
    for (const verb of [
      ["validate", file],
      ["expand", file, "--format", "json"],
    ]) {
      const t0 = performance.now();
      const r = await cli(256, ["skeleton", ...verb]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `${file}:16:17: \`Iteration_Num\` must be between 1 and 10000 (got 10000000)`,
      );
      expect(r.lines).toBe(0);
      expect(performance.now() - t0).toBeLessThan(15_000); // node + tsx start-up; the check itself takes milliseconds
    }
  }, 60_000);

  it("escapes control bytes in the file name and the messages", async () => {
    const file = path.join(dir, "bad\x1b[31mname.conf");
    writeFileSync(
      file,
      skeletonText([{ name: "Stage_1" }]).replace("Task_Type = serial", "Task_Type = ser\x1b]0;owned\x07ial"),
    );
    const r = await cli(256, ["skeleton", "validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(r.stderr).toContain(
      "bad\\x1b[31mname.conf:4:20: control character \\x1b in `Task_Type = ser\\x1b]0;owned\\x07ial`",
    );
  }, 60_000);

  describe("the largest accepted skeleton: 1,000,000 tasks, each with its own input and output file (2,000,000 files)", () => {
    const file = path.join(dir, "million.conf");
    writeFileSync(
      file,
      skeletonText([
        {
          name: "Stage_1",
          tasks: 1_000_000,
          length: "normal [10, 2]",
          inputs: [["Source = filesystem", "Size = normal [1048576, 1000]"]],
          outputs: ["normal [1048576, 1000]"],
        },
      ]),
    );

    it("expands to shell in a 512 MB heap, written as it goes", async () => {
      const r = await cli(512, ["skeleton", "expand", file, "--format", "shell"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.lines).toBe(1_000_000);
      expect(r.first).toMatch(
        /^task serial 1 \d+\.\d\d 65536 65536 1 1 0 Stage_1_Input\/Stage_1_Input_0_1 Stage_1_Output\/Stage_1_Output_0_1 \d+\.\d\d$/,
      );
      expect(r.last).toMatch(
        /^task serial 1 \d+\.\d\d 65536 65536 1 1 0 Stage_1_Input\/Stage_1_Input_0_1000000 Stage_1_Output\/Stage_1_Output_0_1000000 \d+\.\d\d$/,
      );
      expect(r.chunks).toBeGreaterThan(100);
    }, 180_000);

    it("expands to JSON (over a gigabyte) in a 512 MB heap, written as it goes", async () => {
      const r = await cli(512, ["skeleton", "expand", file, "--format", "json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      // 53 lines of application and stage, 27 per task (its fields, one input and one output file)
      expect(r.lines).toBe(53 + 27 * 1_000_000);
      expect(r.first).toBe("{");
      expect(r.last).toBe("}");
      expect(r.chunks).toBeGreaterThan(1000);
      // output began long before the end: it is streamed, not assembled and then written
      expect(r.streamedFor).toBeGreaterThan(1000);
    }, 240_000);
  });
});
