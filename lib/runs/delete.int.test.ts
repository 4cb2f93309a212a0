import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { signUp } from "../db/users";
import { deleteRun, deleteSkeleton, isInside } from "./delete";
import { accountUsage } from "./usage";

// real SQLite and real directories
const root = mkdtempSync(path.join(os.tmpdir(), "em-del-"));
const runsRoot = path.join(root, "runs");
const downloadsRoot = path.join(root, "downloads");
const db = openDb(`file:${path.join(root, "em.db")}`);
afterAll(async () => db.$disconnect());

async function account(email: string): Promise<string> {
  const r = await signUp(db, { email, password: "a long enough password" });
  if (!r.ok) throw new Error(r.error.message);
  return r.user.id;
}

async function makeRun(
  userId: string,
  skeletonId: string,
  name: string,
  state: string,
  extra: { leaseUntil?: Date } = {},
) {
  const run = await db.run.create({
    data: { userId, skeletonId, name, state, strategy: "adaptive", plan: "{}", ...extra },
  });
  const dir = path.join(runsRoot, run.id);
  mkdirSync(path.join(dir, "pilot-0"), { recursive: true });
  writeFileSync(path.join(dir, "pilot-0", "events.log"), "x".repeat(3000));
  writeFileSync(path.join(dir, `run-21-${run.id}.zip`), "y".repeat(1000));
  await db.run.update({ where: { id: run.id }, data: { dir } });
  await db.pilot.create({
    data: {
      runId: run.id,
      index: 0,
      label: "local",
      kind: "local",
      cores: 2,
      walltimeMinutes: 5,
      state: "DONE",
    },
  });
  return { ...run, dir };
}

describe("deleting runs and skeletons", () => {
  it("a skeleton used by a live run is refused with the run named; once the run is over it goes, the finished run stays", async () => {
    const u = await account("del-sk@example.org");
    const sk = await db.skeleton.create({
      data: { userId: u, name: "sc2014.conf", text: "Num_Stage = 1\n" },
    });
    const live = await makeRun(u, sk.id, "sc2014 live", "ACTIVE");
    const refused = await deleteSkeleton(db, u, sk.id);
    expect(refused).toEqual({
      ok: false,
      code: "IN_USE",
      message:
        "sc2014.conf is used by sc2014 live (ACTIVE): cancel that run or wait until it ends before deleting it.",
    });
    expect(await db.skeleton.count({ where: { id: sk.id } })).toBe(1);
    await db.run.update({ where: { id: live.id }, data: { state: "DONE" } });
    expect(await deleteSkeleton(db, u, sk.id)).toMatchObject({ ok: true, name: "sc2014.conf" });
    expect(await db.skeleton.count({ where: { id: sk.id } })).toBe(0);
    expect(await db.run.findUnique({ where: { id: live.id }, select: { skeletonId: true } })).toEqual({
      skeletonId: null,
    });
  });

  it("a run: refused while live or still being wrapped up; then gone with its pilots, its directory and the archive in it; another user's run is not found", async () => {
    const u = await account("del-run@example.org");
    const other = await account("del-other@example.org");
    const sk = await db.skeleton.create({ data: { userId: u, name: "s.conf", text: "x" } });
    const run = await makeRun(u, sk.id, "my run", "ACTIVE");
    expect(await deleteRun(db, u, run.id, { runsRoot })).toMatchObject({
      ok: false,
      code: "IN_USE",
      message: "my run is ACTIVE: cancel it (or wait until it ends) before deleting it.",
    });
    await db.run.update({
      where: { id: run.id },
      data: { state: "DONE", leaseUntil: new Date(Date.now() + 60_000) },
    });
    expect(await deleteRun(db, u, run.id, { runsRoot })).toMatchObject({ ok: false, code: "IN_USE" });
    expect(await deleteRun(db, other, run.id, { runsRoot })).toMatchObject({ ok: false, code: "NOT_FOUND" });

    const before = await accountUsage(db, u);
    expect(before.runs).toEqual([{ id: run.id, name: "my run", state: "DONE", bytes: 4000 }]);
    expect(before).toMatchObject({ runBytes: 4000, skeletons: 1, skeletonBytes: 1 });

    await db.run.update({ where: { id: run.id }, data: { leaseUntil: null } });
    // its stored downloads (lib/archive/download-store.ts) go with it
    const stored = path.join(downloadsRoot, run.id, "12-abcdef");
    mkdirSync(stored, { recursive: true });
    writeFileSync(path.join(stored, "run.json"), "{}");
    expect((await accountUsage(db, u, downloadsRoot)).runBytes).toBe(4002);
    expect(await deleteRun(db, u, run.id, { runsRoot, downloadsRoot })).toEqual({
      ok: true,
      name: "my run",
      dirRemoved: run.dir,
    });
    expect(existsSync(run.dir)).toBe(false);
    expect(existsSync(path.join(downloadsRoot, run.id))).toBe(false);
    expect(await db.run.count({ where: { id: run.id } })).toBe(0);
    expect(await db.pilot.count({ where: { runId: run.id } })).toBe(0);
    expect((await accountUsage(db, u)).runBytes).toBe(0);
  });

  it("a directory outside the runs folder is never removed", async () => {
    expect(isInside(runsRoot, path.join(runsRoot, "abc"))).toBe(true);
    expect(isInside(runsRoot, runsRoot)).toBe(false);
    expect(isInside(runsRoot, path.join(runsRoot, "..", "elsewhere"))).toBe(false);
    expect(isInside(runsRoot, "/etc")).toBe(false);
  });
});
