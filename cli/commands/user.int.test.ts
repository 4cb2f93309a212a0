import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../../lib/db/client";
import { signUp } from "../../lib/db/users";

const data = mkdtempSync(path.join(os.tmpdir(), "em-cli-user-"));
const db = openDb(`file:${path.join(data, "emanager.db")}`);
afterAll(() => db.$disconnect());
const { DATABASE_URL: _unused, ...env } = process.env;
const cli = (...args: string[]) =>
  spawnSync("npx", ["--no-install", "emanager", "user", ...args], {
    encoding: "utf8",
    env: { ...env, EMANAGER_DATA_DIR: data },
  });

describe("emanager user limit (real database)", () => {
  it("raises an account's task limit, returns it to the default, and refuses bad input", async () => {
    await signUp(db, { email: "ada@example.org", password: "a long enough password" });
    const set = cli("limit", "ada@example.org", "500,000");
    expect(set.stdout, set.stderr).toBe("ada@example.org: at most 500,000 tasks per skeleton\n");
    expect((await db.user.findUnique({ where: { email: "ada@example.org" } }))?.taskLimit).toBe(500_000);
    expect(cli("limit", "ada@example.org", "default").stdout).toBe(
      "ada@example.org: at most 200,000 tasks per skeleton (the default)\n",
    );
    expect((await db.user.findUnique({ where: { email: "ada@example.org" } }))?.taskLimit).toBeNull();
    const over = cli("limit", "ada@example.org", "2000000");
    expect([over.status, over.stderr]).toEqual([2, expect.stringMatching(/at most 1,000,000 tasks/)]);
    expect(cli("limit", "nobody@example.org", "5").status).toBe(1);
    expect(cli("limit", "ada@example.org").status).toBe(2);
  }, 60_000);
});
