import path from "node:path";
import { parseArgs } from "node:util";
import { openDb } from "../../lib/db/client";
import { databaseUrl } from "../../lib/config/paths";
import { ensureLocalResource } from "../../lib/db/resources";
import { launchRun } from "../../lib/runs/launch";
import { parseSkeleton } from "../../lib/skeleton";
import { followRun } from "../follow";
import type { CliIO } from "../io";

export const USAGE =
  "usage: emanager run SKELETON [--resources NAME,NAME] [--strategy aimes|adaptive] [--seed N] [--user EMAIL]\n";
const CLI_USER = "cli@localhost";

/**
 * `emanager run`: plan, launch and follow a run headless, on the same engine and database as the
 * web server (the run appears in the web app too). Exit 0 only when every task is DONE.
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  let v: { values: Record<string, string | undefined>; positionals: string[] };
  try {
    v = parseArgs({
      args,
      allowPositionals: true,
      options: {
        resources: { type: "string" },
        strategy: { type: "string", default: "adaptive" },
        seed: { type: "string", default: "0" },
        user: { type: "string" },
      },
    }) as typeof v;
  } catch (e: unknown) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const [file] = v.positionals;
  const strategy = v.values.strategy;
  const seed = Number(v.values.seed);
  if (!file || (strategy !== "aimes" && strategy !== "adaptive") || !Number.isInteger(seed)) {
    io.err(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = await io.readText(file);
  } catch (e: unknown) {
    io.err(`${file}: cannot read the file (${e instanceof Error ? e.message : String(e)})\n`);
    return 2;
  }
  // a file that does not parse is refused before the database is touched (launchRun checks the rest)
  const parsed = parseSkeleton(text, { fileName: file });
  if (!parsed.ok) {
    for (const e of parsed.errors) io.err(`${file}:${e.line}:${e.column}: ${e.message}\n`);
    return 2;
  }
  const db = openDb(databaseUrl());
  try {
    const email = v.values.user ?? CLI_USER;
    const user = await db.user.upsert({
      where: { email },
      update: {},
      create: { email, name: "command line", passwordHash: "!" },
    });
    await ensureLocalResource(db, user.id);
    const names = (v.values.resources ?? "local")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const rows = await db.resource.findMany({
      where: { userId: user.id, label: { in: names } },
      select: { id: true, label: true },
    });
    const unknown = names.filter((n) => !rows.some((r) => r.label === n));
    if (unknown.length) {
      io.err(`no resource named ${unknown.join(", ")} for ${email} (add it in the web app, or use --user)\n`);
      return 2;
    }
    const r = await launchRun(db, {
      userId: user.id,
      name: path.basename(file),
      skeleton: { text, fileName: file },
      seed,
      maxRetries: 1,
      plan: { strategy, resourceIds: rows.map((x) => x.id) },
      now: new Date(),
    });
    if (!r.ok) {
      if (r.skeletonErrors)
        for (const e of r.skeletonErrors) io.err(`${file}:${e.line}:${e.column}: ${e.message}\n`);
      else io.err(r.code === "PLAN" ? `no plan: ${r.message}\n` : `${r.message}\n`);
      return 2;
    }
    io.err(
      `run ${r.runId}: ${r.plan.pilots.map((x) => `${x.resource} (${x.cores} cores, ${x.walltimeMinutes.toFixed(1)} min)`).join(", ")}\n`,
    );
    return (await followRun(db, user.id, r.runId, io)) === "DONE" ? 0 : 1;
  } finally {
    await db.$disconnect();
  }
}
