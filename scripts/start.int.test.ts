import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// `npm start` with a database it cannot reach: it stops before building or serving, names the
// database with its password hidden, and exits 1 (instead of a server whose every request fails).
describe("npm start", () => {
  it("stops with the database's name and the reason when it cannot open and migrate it", () => {
    const r = spawnSync("npx", ["--no-install", "tsx", "scripts/start.ts"], {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...process.env,
        DATABASE_URL: "postgresql://someone:hunter2secret@127.0.0.1:1/nowhere",
        EMANAGER_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "em-start-")),
        EMANAGER_SKIP_BUILD: "1",
        PORT: "1",
      },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "[emanager] cannot start: the database postgresql://someone:***@127.0.0.1:1/nowhere cannot be opened and migrated",
    );
    expect(r.stderr).toMatch(/ECONNREFUSED/);
    expect(`${r.stdout}${r.stderr}`).not.toContain("hunter2secret");
    expect(r.stdout).not.toContain("serving");
  });
});
