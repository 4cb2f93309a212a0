import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("emanager run (headless, real engine on local)", () => {
  it("runs a skeleton to DONE, prints the summary, the run directory and the archive, exits 0", () => {
    const data = mkdtempSync(path.join(os.tmpdir(), "em-cli-run-"));
    const sk = path.join(data, "demo.conf");
    const demo = readFileSync(
      path.resolve(process.cwd(), "../shared/fixtures/skeletons/emanager_skeleton_demo_SC2014.conf"),
      "utf8",
    );
    writeFileSync(sk, demo.replace("uniform 10", "uniform 0.2").replace("uniform 32", "uniform 0.3"));
    const r = spawnSync("npx", ["--no-install", "emanager", "run", sk], {
      encoding: "utf8",
      env: { ...process.env, EMANAGER_DATA_DIR: data },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[#{30}\] 21\/21 done/);
    expect(r.stdout).toMatch(/1 pilot requested, 1 became active after \d+ s; 21 tasks done, 0 failed/);
    const dir = /run directory: (.*)/.exec(r.stdout)?.[1] ?? "";
    const zip = /archive: (.*)/.exec(r.stdout)?.[1] ?? "";
    expect(statSync(path.join(dir, "Stage_2_Output/Stage_2_Output_0_1")).size).toBe(1048576);
    expect(existsSync(zip) && zip.endsWith(".zip")).toBe(true);
    // stored where the server reads a finished run's downloads back (lib/archive/download-store.ts)
    const runId = /run-21-([\w-]+)\.zip$/.exec(zip)?.[1] ?? "";
    const [key] = readdirSync(path.join(data, "downloads", runId));
    expect(readdirSync(path.join(data, "downloads", runId, key!))).toEqual(
      expect.arrayContaining(["run.json", "report.txt", "events.jsonl.deflate"]),
    );
  });
  it("exits 2 with the errors for a broken skeleton, before touching the database", () => {
    const data = mkdtempSync(path.join(os.tmpdir(), "em-cli-run-"));
    const r = spawnSync(
      "npx",
      [
        "--no-install",
        "emanager",
        "run",
        path.resolve(process.cwd(), "../shared/fixtures/skeletons/Skeleton-report_lst-bag.input"),
      ],
      { encoding: "utf8", env: { ...process.env, EMANAGER_DATA_DIR: data } },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/:6:5: expected `Task_Length`/);
    expect(existsSync(path.join(data, "emanager.db"))).toBe(false);
  });
});
