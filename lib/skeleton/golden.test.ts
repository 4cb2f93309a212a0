import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { emitJson, emitSetup, emitShell } from "./emit";
import { expand } from "./expand";
import { parseAimes } from "./parse";
import { seededRng } from "./rng";

// Every golden output of the original library (shell, setup, JSON; 2014 and 2017 versions)
// is reproduced byte for byte. Swift and Pegasus DAX outputs are not emitted by EManager.
const DIR = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
const GEN = path.join(DIR, "generated");
const golden = readdirSync(GEN)
  .map((f) => ({ f, m: /^(.*)\.(shell|setup|json)(?:\.skeleton-(\w+))?\./.exec(f) }))
  .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null);

describe("golden outputs of the original Skeleton library", () => {
  it("covers every shell, setup and json file", () => {
    expect(golden.length).toBe(readdirSync(GEN).filter((f) => !/\.(swift|xml)$/.test(f)).length);
    expect(golden.length).toBeGreaterThanOrEqual(20);
  });
  for (const { f, m } of golden) {
    it(f, () => {
      const [, base, mode, commit] = m;
      const src = readdirSync(DIR).find((x) => x === `${base}.input` || x === `${base}.conf`);
      expect(src, `source of ${f}`).toBeDefined();
      const parsed = parseAimes(readFileSync(path.join(DIR, src!), "utf8"));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const dialect = commit === "137e59f" ? "2017" : "2014";
      const x = expand(parsed.skeleton, seededRng(1), dialect);
      if (!x.ok) throw new Error(JSON.stringify(x.errors));
      // the demo's JSON was generated from the file under its original name
      const out = mode === "shell" ? emitShell(x.expanded, dialect) : mode === "setup" ? emitSetup(x.expanded) : emitJson(x.expanded, dialect, "skeleton_demo_SC2014.conf");
      expect(out).toBe(readFileSync(path.join(GEN, f), "utf8"));
    });
  }
});
