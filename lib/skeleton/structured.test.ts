import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emitShell } from "./emit";
import { expandSkeleton } from "./expand";
import { formatAimes } from "./format-aimes";
import { parseAimes } from "./parse";
import { parseStructured } from "./structured";
import { FIXTURES, fixture } from "./test-helpers";

const DEMO_YAML = `# the SC2014 demo
stages:
  - name: Stage_1
    tasks: 20
    length: uniform 10
    inputs:
      - { source: filesystem, size: uniform 1048576 }
    outputs: [uniform 20000]
  - name: Stage_2
    tasks: 1
    length: uniform 32
    inputsPerTask: 20
    mapping: combination Stage_1.Output_1 20
    outputs: [uniform 1048576]
`;

const shell = (r: ReturnType<typeof parseStructured>) => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const x = expandSkeleton(r.skeleton);
  if (!x.ok) throw new Error(JSON.stringify(x.errors));
  return emitShell(x.expanded);
};

describe("JSON/YAML skeletons", () => {
  it("map onto the same model: the YAML demo expands to the original's demo commands", () => {
    expect(shell(parseStructured(DEMO_YAML))).toBe(
      fixture("generated/emanager_skeleton_demo_SC2014.shell.skeleton-493a615.txt"),
    );
    const json = JSON.stringify({
      stages: [
        {
          name: "Stage_1",
          tasks: 2,
          length: "uniform 5",
          outputs: ["uniform 1"],
          iteration: { num: 2, stages: ["Stage_1"], substitute: "Stage_1.Input_1, Stage_1.Output_1" },
          inputs: [{ source: "filesystem", size: "uniform 3" }],
        },
      ],
    });
    expect(shell(parseStructured(json)).split("\n")[2]).toBe(
      "task serial 1 5 65536 65536 1 1 0 Stage_1_Iter_1_Output/Stage_1_Iter_1_Output_0_1 Stage_1_Output/Stage_1_Output_0_1 1",
    );
  });

  it("puts schema and value errors at the field's line and column", () => {
    const r = parseStructured(
      DEMO_YAML.replace("tasks: 20", "tasks: 0")
        .replace("length: uniform 32", "length: uniform thirty")
        .replace("outputs: [uniform 20000]", "outputs: [uniform 20000]\n    colour: blue"),
    );
    expect(!r.ok && r.errors.map((e) => [e.line, e.column, e.message.slice(0, 30)])).toEqual([
      [3, 5, 'stages.0: Unrecognized key: "c'],
      [4, 12, "stages.0.tasks: Too small: exp"],
    ]);
    const v = parseStructured(DEMO_YAML.replace("length: uniform 32", "length: uniform thirty"));
    expect(!v.ok && v.errors[0]).toMatchObject({
      line: 11,
      column: 13,
      message: expect.stringMatching(/uniform takes one number/),
    });
    const syntax = parseStructured("stages:\n  - name: [unclosed\n");
    expect(!syntax.ok && syntax.errors[0]?.message).toMatch(/^not valid YAML\/JSON/);
  });
});

describe("formatAimes", () => {
  it("writes every accepted fixture back as text that parses to the same skeleton", () => {
    for (const f of readdirSync(FIXTURES).filter((x) => /\.(input|conf)$/.test(x))) {
      const r = parseAimes(fixture(f));
      if (!r.ok) continue;
      const again = parseAimes(formatAimes(r.skeleton));
      if (!again.ok) throw new Error(`${f}: ${JSON.stringify(again.errors)}`);
      const strip = (s: unknown) =>
        JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === "at" ? undefined : v))) as unknown;
      expect(strip(again.skeleton), f).toEqual(strip(r.skeleton));
    }
  });
});
