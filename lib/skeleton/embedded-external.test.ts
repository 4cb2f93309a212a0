import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { embedExternal, readEmbeddedExternal } from "./embedded-external";
import { loadSkeletonText } from "./load";
import { skeletonProblems } from "./problems";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
const exmapper = readFileSync(path.join(FIX, "Skeleton-report_lst-exmapper.input"), "utf8");
// Stage_2 has 6 tasks, each reading two of Stage_1's 4 outputs
const mapping =
  Array.from(
    { length: 6 },
    (_, t) =>
      `Stage_1_Output/Stage_1_Output_0_${(t % 4) + 1} Stage_1_Output/Stage_1_Output_0_${((t + 1) % 4) + 1}`,
  ).join("\n") + "\n";

describe("a mapper's output embedded in the skeleton", () => {
  it("round-trips, replaces an earlier one, and leaves the rest of the file as it was", () => {
    const once = embedExternal(exmapper, "Stage_2", "a b\nc d\n");
    expect(readEmbeddedExternal(once)).toEqual({ Stage_2: "a b\nc d" });
    expect(once.startsWith(exmapper.trimEnd())).toBe(true);
    const twice = embedExternal(once, "Stage_2", mapping);
    expect(readEmbeddedExternal(twice)).toEqual({ Stage_2: mapping.trimEnd() });
    expect(twice.match(/# emanager-external/g)).toHaveLength(6);
  });

  it("the skeleton then expands with it: no problem left, Stage_2's tasks read the files the script named", () => {
    expect(skeletonProblems(exmapper).map((p) => p.severity)).toEqual(["error"]);
    const text = embedExternal(exmapper, "Stage_2", mapping);
    expect(skeletonProblems(text)).toEqual([]);
    const r = loadSkeletonText(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t0 = r.expanded.stages.find((s) => s.name === "Stage_2")!.tasks[0]!;
    expect(t0.inputs.map((f) => f.name)).toEqual(["Stage_1_Output_0_1", "Stage_1_Output_0_2"]);
  });

  it("a wrong output is an error at the mapping, as from the command line", () => {
    const ps = skeletonProblems(
      embedExternal(exmapper, "Stage_2", mapping.replaceAll("Output_0_4", "Output_9_9")),
    );
    expect(ps.find((p) => p.severity === "error")?.message).toMatch(
      /Stage_1_Output_9_9 are not files of an earlier stage/,
    );
  });
});
