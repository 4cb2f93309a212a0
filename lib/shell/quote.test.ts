import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { sh, shJoin } from "./quote";

const nasty = [
  "a b",
  "it's",
  "$(touch /tmp/pwned)",
  "`id`",
  "x;rm -rf /",
  "a\nb",
  "\\",
  '"',
  "*",
  "-n",
  "",
  "é",
];

describe("sh()", () => {
  it("round-trips every nasty value through a real /bin/sh unchanged", () => {
    for (const v of nasty) {
      const out = execFileSync("/bin/sh", ["-c", `printf %s ${sh(v)}`]).toString();
      expect(out).toBe(v);
    }
  });
  it("leaves plain words unquoted and refuses NUL", () => {
    expect(sh("Stage_1_0")).toBe("Stage_1_0");
    expect(() => sh("a\0b")).toThrow(/NUL/);
    expect(shJoin(["echo", "a b", 3])).toBe("echo 'a b' 3");
  });
});
