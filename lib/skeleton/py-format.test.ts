import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leadingNumber, pyFixed2, pyIntString, pyJsonString } from "./py-format";

describe("Python 2.7 formatting", () => {
  it('"%.2f": exact binary ties go to even, everything else as toFixed, no exponent form', () => {
    // 0.125 and 0.375 are exact in binary: Python prints 0.12 and 0.38, JS toFixed 0.13 and 0.38
    expect([0.125, 0.375, 2.5, 1.005, 2.675, 10, 0].map(pyFixed2)).toEqual([
      "0.12",
      "0.38",
      "2.50",
      "1.00",
      "2.67",
      "10.00",
      "0.00",
    ]);
    expect(pyFixed2(1e22)).toBe("10000000000000000000000.00");
    expect(pyFixed2(-0)).toBe("-0.00");
    expect(pyFixed2(-1.5)).toBe("-1.50");
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), (v) => {
        const tie = /^\d+\.\d\d5$/.test(v.toFixed(3)) && v.toFixed(25).endsWith("5".padEnd(23, "0"));
        if (!tie) expect(pyFixed2(v)).toBe(v.toFixed(2));
      }),
    );
  });

  it("str(int(v)) truncates toward zero and prints every digit", () => {
    expect([250, 625000.9, -3.7, 1e21, 2 ** 70].map(pyIntString)).toEqual([
      "250",
      "625000",
      "-3",
      "1000000000000000000000",
      "1180591620717411303424",
    ]);
  });

  it("json.dumps escapes everything outside printable ASCII, lower-case hex", () => {
    expect(pyJsonString("Stage_1_Output_0_1")).toBe('"Stage_1_Output_0_1"');
    expect(pyJsonString('a"b\\c\n\té\u007f😀')).toBe('"a\\"b\\\\c\\n\\t\\u00e9\\u007f\\ud83d\\ude00"');
  });

  it("reads the leading number of a printed value as atof/atoi would", () => {
    expect(["10s", "1048576B", "10404130.20", " 7", "1e3", "x"].map(leadingNumber)).toEqual([
      10,
      1048576,
      10404130.2,
      7,
      1000,
      Number.NaN,
    ]);
  });
});
