import { describe, expect, it } from "vitest";
import { maxOf, minOf, pushAll } from "./extent";
import { escapeControl } from "./text";

describe("maxOf / minOf / pushAll", () => {
  it("handle 1,000,000 elements, where a spread throws RangeError", () => {
    const xs = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.max(...xs)).toThrow(RangeError);
    expect(maxOf(xs)).toBe(xs.reduce((a, b) => (b > a ? b : a)));
    expect(minOf(xs)).toBe(0);
    const target = [1];
    expect(pushAll(target, xs).length).toBe(1_000_001);
  });
  it("give the fallback for an empty array", () => {
    expect(maxOf([])).toBe(-Infinity);
    expect(maxOf([], 0)).toBe(0);
    expect(minOf([], 5)).toBe(5);
    expect(maxOf([-3, -1, -2])).toBe(-1);
  });
});

describe("escapeControl", () => {
  it("makes control bytes visible and leaves other text alone", () => {
    expect(escapeControl("Stage\x1b[31m_1\r\n\t\x7f\x9b")).toBe("Stage\\x1b[31m_1\\x0d\\x0a\\x09\\x7f\\x9b");
    expect(escapeControl("a\u202eb")).toBe("a\\u202eb");
    expect(escapeControl("Größe 10 MB → ok")).toBe("Größe 10 MB → ok");
  });
});
