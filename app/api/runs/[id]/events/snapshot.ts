import { snapshot } from "@/lib/archive/run-snapshot";
import { databaseUrl, downloadsDir } from "@/lib/config/paths";
import { db } from "@/lib/db/client";
import { isWorkError, runWork, workPool } from "@/lib/work";

/**
 * Where the run page's opening snapshot (lib/archive/run-snapshot.ts) is folded: here, on the
 * request thread, for a run of up to BIG events (a 10,000-task run has 60,000: tens of ms once
 * cached, and never queued behind another user's job); on the worker pool beyond, where a
 * 100,000-task run's seconds of folding and hundreds of MB of objects neither hold up other
 * requests nor sit in a second heap beside the downloads' fold. A refused or failed job falls
 * back to folding here: the page must open.
 */
const BIG = 150_000;
const g = globalThis as unknown as { __emanagerBigRuns?: Set<string> };

export async function openingSnapshot(
  userId: string,
  runId: string,
): Promise<{ text: string; lastSeq: number }> {
  const big = (g.__emanagerBigRuns ??= new Set());
  if (!big.has(runId)) {
    if ((await db().event.count({ where: { runId } })) < BIG) return snapshot(db(), databaseUrl(), runId);
    big.add(runId);
  }
  try {
    // a finished run's snapshot is read back from where its downloads are kept (made when it ended)
    return await runWork(workPool(), userId, {
      kind: "snapshot",
      dbUrl: databaseUrl(),
      runId,
      userId,
      storeDir: downloadsDir(),
    });
  } catch (e: unknown) {
    if (!isWorkError(e)) throw e;
    return snapshot(db(), databaseUrl(), runId);
  }
}
