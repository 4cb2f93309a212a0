import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runWork, WorkPool } from "../work";
import { bigText } from "../work/test-helpers";
import { openDb } from "../db/client";
import { saveSkeleton, type SaveOptions } from "./skeletons";
import { listTaskLimits, setTaskLimit } from "../db/task-limits";
import { signUp } from "../db/users";

// real SQLite and a real worker pool, as the upload route uses them
const db = openDb(`file:${path.join(mkdtempSync(path.join(os.tmpdir(), "em-skel-")), "em.db")}`);
const pool = new WorkPool({
  entry: path.join(process.cwd(), "lib/work/worker.ts"),
  tsx: true,
  size: 1,
  maxPerUser: 2,
  maxQueued: 8,
  deadlineMs: 120_000,
});
afterAll(async () => {
  await pool.close();
  await db.$disconnect();
});

async function account(email: string): Promise<string> {
  const r = await signUp(db, { email, password: "a long enough password" });
  if (!r.ok) throw new Error(r.error.message);
  return r.user.id;
}

describe("skeleton upload and the per-account task limit", () => {
  it("refuses a skeleton over the account's limit with a message naming the limit and how to raise it; an administrator raises it", async () => {
    const admin = await account("admin@example.org");
    const user = await account("user@example.org");
    const run = (userId: string): SaveOptions => ({ run: (job) => runWork(pool, userId, job) });

    const refused = await saveSkeleton(db, user, "big.input", bigText(300_000), run(user));
    expect(refused.ok).toBe(false);
    const msg = refused.ok ? "" : refused.errors[0]!.message;
    expect(msg).toContain("300,000 tasks, more than this account's limit of 200,000 tasks per skeleton");
    expect(msg).toContain("an administrator can raise the limit on the Account page");
    expect(await db.skeleton.count({ where: { userId: user } })).toBe(0);

    // a user cannot raise their own limit
    expect(await setTaskLimit(db, user, { userId: user, limit: 1_000_000 })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await listTaskLimits(db, user)).toBeNull();
    // nor can an administrator go past the absolute limit
    expect(await setTaskLimit(db, admin, { userId: user, limit: 2_000_000 })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      message: expect.stringMatching(/at most 1,000,000/),
    });

    expect(await setTaskLimit(db, admin, { userId: user, limit: 400_000 })).toMatchObject({
      ok: true,
      row: { taskLimit: 400_000 },
    });
    const saved = await saveSkeleton(db, user, "big.input", bigText(300_000), run(user));
    expect(saved.ok && saved.summary.metrics.tasks).toBe(300_000);
    expect((await listTaskLimits(db, admin))?.map((r) => [r.email, r.taskLimit])).toEqual([
      ["admin@example.org", null],
      ["user@example.org", 400_000],
    ]);

    // back to the default
    await setTaskLimit(db, admin, { userId: user, limit: null });
    expect((await saveSkeleton(db, user, "big.input", bigText(300_000))).ok).toBe(false);
  }, 120_000);
});
