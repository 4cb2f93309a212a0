import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../io";
import { main } from "../main";

const FIX = path.resolve(process.cwd(), "../shared/fixtures/skeletons");
const DEMO = path.join(FIX, "emanager_skeleton_demo_SC2014.conf");

describe("emanager skeleton", () => {
  it("validates the demo and expands it byte for byte like the original", async () => {
    const io = memoryIO();
    expect(await main(["skeleton", "validate", DEMO], io)).toBe(0);
    expect(io.stdout).toMatch(/valid \(aimes\): 2 stage\(s\), 21 task\(s\), 20\.38 MB in, 1\.38 MB out/);
    const sh = memoryIO();
    expect(await main(["skeleton", "expand", DEMO, "--format", "shell"], sh)).toBe(0);
    expect(sh.stdout).toBe(
      readFileSync(
        path.join(FIX, "generated/emanager_skeleton_demo_SC2014.shell.skeleton-493a615.txt"),
        "utf8",
      ),
    );
    const sh17 = memoryIO();
    expect(await main(["skeleton", "expand", DEMO, "--format", "shell", "--dialect", "2017"], sh17)).toBe(0);
    expect(sh17.stdout).toBe(
      readFileSync(
        path.join(FIX, "generated/emanager_skeleton_demo_SC2014.shell.skeleton-137e59f.txt"),
        "utf8",
      ),
    );
  });
  it("exits 2 with FILE:LINE:COL errors on stderr for a broken skeleton and for bad options", async () => {
    const bad = path.join(FIX, "Skeleton-report_lst-bag.input");
    const io = memoryIO();
    expect(await main(["skeleton", "validate", bad], io)).toBe(2);
    expect(io.stderr).toContain(`${bad}:6:5: expected \`Task_Length\` here but found \`Num_Processes\``);
    const opt = memoryIO();
    expect(await main(["skeleton", "expand", DEMO, "--format", "xml"], opt)).toBe(2);
    expect(opt.stderr).toMatch(/--format must be json, shell or setup/);
    const missing = memoryIO();
    expect(await main(["skeleton", "validate", "/nonexistent.conf"], missing)).toBe(2);
    expect(missing.stderr).toMatch(/\/nonexistent.conf: cannot read the file/);
  });
  it("takes an external mapping's output with --external instead of running the script", async () => {
    const file = path.join(FIX, "Skeleton-report_lst-exmapper.input");
    const refused = memoryIO();
    expect(await main(["skeleton", "expand", file, "--format", "shell"], refused)).toBe(2);
    expect(refused.stderr).toMatch(
      /:27:\d+: Stage_2 maps its inputs with the external script `sample-input\/mapping.sh`, which EManager does not run/,
    );
    const mapping = Array.from(
      { length: 6 },
      (_, t) =>
        `Stage_1_Output/Stage_1_Output_0_${(t % 4) + 1} Stage_1_Output/Stage_1_Output_0_${((t + 1) % 4) + 1}`,
    ).join("\n");
    const io = memoryIO({ "/tmp/mapping.txt": mapping });
    expect(
      await main(
        ["skeleton", "expand", file, "--format", "shell", "--external", "Stage_2=/tmp/mapping.txt"],
        io,
      ),
    ).toBe(0);
    const stage2 = io.stdout.split("\n").filter((l) => l.startsWith("task") && l.includes("Stage_2_Output"));
    expect(stage2).toHaveLength(6);
    expect(stage2[0]).toContain("Stage_1_Output/Stage_1_Output_0_1 Stage_1_Output/Stage_1_Output_0_2");
    const unknown = memoryIO({ "/tmp/mapping.txt": mapping.replaceAll("Output_0_4", "Output_9_9") });
    expect(
      await main(
        ["skeleton", "expand", file, "--format", "shell", "--external", "Stage_2=/tmp/mapping.txt"],
        unknown,
      ),
    ).toBe(2);
    expect(unknown.stderr).toMatch(/Stage_1_Output_9_9 are not files of an earlier stage/);
    const badSpec = memoryIO();
    expect(
      await main(["skeleton", "expand", file, "--format", "shell", "--external", "nonsense"], badSpec),
    ).toBe(2);
    expect(badSpec.stderr).toMatch(/--external must be STAGE=FILE/);
  });
  it("validate accepts a skeleton with an external mapping (exit 0) and says what it needs", async () => {
    const file = path.join(FIX, "Skeleton-report_lst-exmapper.input");
    const io = memoryIO();
    expect(await main(["skeleton", "validate", file], io)).toBe(0);
    expect(io.stdout).toMatch(/valid \(aimes\): 2 stage\(s\)/);
    expect(io.stdout).toMatch(
      /Stage_2 gets its input files from the script `sample-input\/mapping.sh`, which EManager does not run/,
    );
    expect(io.stdout).toMatch(/--external Stage_2=OUTPUT\.txt/);
    // an error elsewhere in such a skeleton is still an error
    const broken = memoryIO({
      "/tmp/exmapper-broken.input": readFileSync(file, "utf8").replace("Num_Tasks = 4", "Num_Tasks = 0"),
    });
    expect(await main(["skeleton", "validate", "/tmp/exmapper-broken.input"], broken)).toBe(2);
  });
  it("works as a real command through npx", () => {
    const out = execFileSync(
      "npx",
      ["--no-install", "emanager", "skeleton", "expand", DEMO, "--format", "setup"],
      { encoding: "utf8" },
    );
    expect(out).toBe(
      readFileSync(path.join(FIX, "generated/emanager_skeleton_demo_SC2014.setup.txt"), "utf8"),
    );
    const bad = spawnSync(
      "npx",
      ["--no-install", "emanager", "skeleton", "validate", path.join(FIX, "Skeleton-report_lst-bag.input")],
      { encoding: "utf8" },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/:6:5: expected `Task_Length`/);
  });
});
