import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

// callbackUrl values as they arrive after the query string is decoded (URLSearchParams.get).
describe("safeCallbackPath: only same-site paths are followed after sign-in", () => {
  it.each([
    ["/\\evil.example/x", "%5C"],
    ["/\\\\evil.example/x", "%5C%5C"],
    ["/\t/evil.example/x", "%09"],
    ["/\n/evil.example", "%0A"],
    ["/\r\n/evil.example", "%0D%0A"],
    ["//evil.example", "protocol-relative"],
    ["/.//evil.example", "dot segment before //"],
    ["/a/..//evil.example", "dot-dot segment before //"],
    ["https://evil.example/", "absolute"],
    ["javascript:alert(1)", "script"],
    ["", "empty"],
    ["runs", "relative"],
  ])("refuses %j (%s)", (raw) => {
    expect(safeCallbackPath(raw)).toBe("/runs");
  });

  it("keeps same-site paths with their query and fragment", () => {
    expect(safeCallbackPath("/runs/abc?tab=log#t1")).toBe("/runs/abc?tab=log#t1");
    expect(safeCallbackPath("/skeletons")).toBe("/skeletons");
    expect(safeCallbackPath(null)).toBe("/runs");
  });

  it("refuses every variant a decoded query string can spell (%5C, %09, %0A in any position)", () => {
    for (const bad of ["\\", "\t", "\n", "\r", "\u0000"]) {
      for (const s of [
        `/${bad}evil.example`,
        `/${bad}/evil.example`,
        `//${bad}evil.example`,
        `/${bad}${bad}evil.example`,
      ])
        expect(safeCallbackPath(s)).toBe("/runs");
    }
  });
});
