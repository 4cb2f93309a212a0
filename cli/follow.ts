import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { databaseUrl, downloadsDir } from "../lib/config/paths";
import type { Db } from "../lib/db/client";
import { runEndsSettled } from "../lib/engine/run-end";
import { engineContext, engineTick } from "../lib/engine/wiring";
import { isRunFinal, isRunState } from "../lib/states/run";
import { downloadJob, type DownloadJob } from "../lib/work/download-job";
import type { CliIO } from "./io";

/**
 * Drives a run with this process's engine until it ends, drawing a progress line with the counts
 * per state, then writes the archive into the run directory and prints the summary.
 * Returns the final run state.
 */
export async function followRun(db: Db, userId: string, runId: string, io: CliIO): Promise<string> {
  const ctx = engineContext(db, { log: (m) => io.err(`[engine] ${m}\n`) });
  let last = "";
  for (;;) {
    await engineTick(ctx, [runId]);
    const run = await db.run.findUniqueOrThrow({
      where: { id: runId },
      select: { state: true, stateReason: true, dir: true },
    });
    const counts = await db.task.groupBy({ by: ["state"], where: { runId }, _count: true });
    const pilots = await db.pilot.findMany({
      where: { runId },
      select: { label: true, state: true },
      orderBy: { index: "asc" },
    });
    const done = counts.find((c) => c.state === "DONE")?._count ?? 0;
    const total = counts.reduce((a, c) => a + c._count, 0);
    const bar = "#".repeat(Math.round((done / Math.max(1, total)) * 30)).padEnd(30, ".");
    const line = `[${bar}] ${done}/${total} done · ${counts
      .filter((c) => c.state !== "DONE")
      .map((c) => `${c.state} ${c._count}`)
      .join(" · ")} | pilots: ${pilots.map((p) => `${p.label} ${p.state.replace("PMGR_", "")}`).join(", ")}`;
    if (line !== last) io.err(`${line}\n`);
    last = line;
    if (isRunState(run.state) && isRunFinal(run.state)) {
      // the run-end notification is sent beside the loop; the caller closes the database next,
      // and a send cut off there would be sent again by the server's engine
      await runEndsSettled();
      // the archive and the report as the server's downloads make them (one pass over the log),
      // stored where the server reads them back (lib/archive/download-store.ts)
      const job = (file: string): DownloadJob => ({
        kind: "download",
        dbUrl: databaseUrl(),
        userId,
        runId,
        file,
        timeline: { theme: "light", width: 1200, scale: 1 },
        storeDir: downloadsDir(),
      });
      const a = run.dir ? await downloadJob(job("archive")) : null;
      const report = a?.ok ? await downloadJob(job("report.txt")) : null;
      if (run.dir && a?.ok && report?.ok) {
        await mkdir(run.dir, { recursive: true });
        const zip = path.join(run.dir, a.fileName ?? `${runId}.zip`);
        await writeFile(zip, a.body);
        io.out(
          `${Buffer.from(report.body).toString("utf8")}${run.state}: ${run.stateReason ?? ""}\nrun directory: ${path.resolve(run.dir)}\narchive: ${zip}\n`,
        );
      }
      return run.state;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
}
