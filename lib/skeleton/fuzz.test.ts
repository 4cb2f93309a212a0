import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSkeletonText } from "./index";
import { seededRng } from "./rng";

// 10,000 seeded, reproducible mutations of the real fixtures: no exception may escape the
// parser or expander, and every rejection must point at a line of the file.
const DIR = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
const seeds = readdirSync(DIR)
  .filter((f) => /\.(input|conf)$/.test(f))
  .map((f) => readFileSync(path.join(DIR, f), "utf8"));
const GARBAGE = [
  "=",
  "#",
  "\t",
  "Num_Stage = 2",
  "Stage_Name = X_Y",
  "Input_9.Source = Stage_9.Output_9",
  "normal [1,2]",
  "polynomial [1, 2] Input_7",
  "uniform -5",
  "\0",
  "é",
  "[",
  "]",
  " = ",
  "Iteration_Num = 0",
];

function mutate(text: string, rnd: () => number): string {
  const lines = text.split("\n");
  const pick = (n: number) => Math.floor(rnd() * n);
  const ops = 1 + pick(4);
  for (let k = 0; k < ops; k++) {
    const i = pick(Math.max(1, lines.length));
    switch (pick(7)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[pick(lines.length)] ?? "");
        break;
      case 2: {
        const j = pick(lines.length);
        [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
        break;
      }
      case 3: {
        const l = lines[i] ?? "";
        const c = pick(l.length + 1);
        lines[i] = l.slice(0, c) + GARBAGE[pick(GARBAGE.length)]! + l.slice(c + 1);
        break;
      }
      case 4:
        lines.length = i;
        break;
      case 5:
        lines[i] = (lines[i] ?? "").replace(/\d+/, String(pick(1000) - 10));
        break;
      default:
        lines.splice(i, 0, GARBAGE[pick(GARBAGE.length)]!);
    }
  }
  return lines.join("\n");
}

describe("parser fuzz", () => {
  it("survives 10,000 mutated skeletons and gives every rejection a line number", () => {
    const rnd = seededRng(20141116);
    let rejected = 0;
    for (let n = 0; n < 10_000; n++) {
      const text = mutate(seeds[n % seeds.length]!, rnd);
      let r: ReturnType<typeof loadSkeletonText>;
      try {
        r = loadSkeletonText(text, { seed: n });
      } catch (e: unknown) {
        throw new Error(`mutation ${n} threw ${String(e)}:\n${text}`);
      }
      if (!r.ok) {
        rejected += 1;
        expect(r.errors.length).toBeGreaterThan(0);
        for (const e of r.errors) expect(e.line, `mutation ${n}: ${e.message}`).toBeGreaterThanOrEqual(1);
      }
    }
    expect(rejected).toBeGreaterThan(1000);
  });
});
