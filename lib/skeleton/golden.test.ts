import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { emitSetup, emitShell } from "./emit";
import { emitJson } from "./emit-json";
import { expandSkeleton } from "./expand";
import { parseAimes } from "./parse";
import type { Skeleton } from "./types";

// Every golden output of the original library in generated/ (shell in the 2014 and 2017
// dialects, setup commands, JSON), produced by Python 2.7 from the fixture of the same base
// name, is reproduced byte for byte. Swift and Pegasus DAX outputs are not emitted by EManager
// and are skipped. A golden file generated from a skeleton with random distributions cannot
// match value for value (the original reseeded from system entropy): for those the structure
// is compared, with every number masked. All files shipped today are deterministic.
const DIR = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
const GEN = path.join(DIR, "generated");
const all = readdirSync(GEN);
const golden = all
  .map((f) => ({ f, m: /^(.+?)\.(shell|setup|json)(?:\.skeleton-(\w+))?\.\w+$/.exec(f) }))
  .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null);

const isRandom = (sk: Skeleton) =>
  sk.stages.some((s) =>
    [s.length, ...s.outputs, ...s.inputs.flatMap((i) => (i.size ? [i.size] : []))].some(
      (d) => d.kind !== "uniform" && d.kind !== "polynomial",
    ),
  );
const mask = (text: string) => text.replace(/\d+(\.\d+)?/g, "#");

function produce(base: string, mode: string, commit: string | undefined): { out: string[]; random: boolean } {
  const src = readdirSync(DIR).find((x) => x === `${base}.input` || x === `${base}.conf`);
  if (!src) throw new Error(`no fixture for ${base}`);
  const parsed = parseAimes(readFileSync(path.join(DIR, src), "utf8"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  // fixtures are named <repo>_<original name>; the original ran on the original name
  const original = src.replace(/^[^_]+_/, "");
  const dialects =
    commit === "137e59f"
      ? (["2017"] as const)
      : commit === "493a615"
        ? (["2014"] as const)
        : (["2014", "2017"] as const);
  const out = dialects.map((dialect) => {
    const x = expandSkeleton(parsed.skeleton, { seed: 1, compat: dialect, fileName: original });
    if (!x.ok) throw new Error(JSON.stringify(x.errors));
    return mode === "shell"
      ? emitShell(x.expanded, dialect)
      : mode === "setup"
        ? emitSetup(x.expanded)
        : emitJson(x.expanded, dialect);
  });
  return { out, random: isRandom(parsed.skeleton) };
}

describe("golden outputs of the original Skeleton library", () => {
  it("covers every shell, setup and json file in generated/", () => {
    expect(golden.length).toBe(all.filter((f) => !/\.(swift|xml)$/.test(f)).length);
    expect(golden.length).toBeGreaterThanOrEqual(20);
  });
  for (const { f, m } of golden) {
    it(f, () => {
      const [, base, mode, commit] = m;
      const expected = readFileSync(path.join(GEN, f), "utf8");
      const { out, random } = produce(base!, mode!, commit);
      for (const o of out) {
        if (random) expect(mask(o)).toBe(mask(expected));
        else expect(o).toBe(expected);
      }
    });
  }
});
