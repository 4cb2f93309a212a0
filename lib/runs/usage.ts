import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import { DownloadStore } from "../archive/download-store";
import type { Db } from "../db/client";

/** Bytes under `dir` (files only, symbolic links not followed); 0 when it does not exist. */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await dirBytes(p);
    else if (e.isFile()) total += (await lstat(p)).size;
  }
  return total;
}

export interface AccountUsage {
  runs: { id: string; name: string; state: string; bytes: number }[];
  runBytes: number;
  skeletons: number;
  skeletonBytes: number;
}

/**
 * What an account keeps on the server's disk: each run's directory and its stored downloads
 * (`downloadsRoot`: lib/archive/download-store.ts), largest first, and the skeletons' text.
 */
export async function accountUsage(db: Db, userId: string, downloadsRoot?: string): Promise<AccountUsage> {
  const runs = await db.run.findMany({
    where: { userId },
    select: { id: true, name: true, state: true, dir: true },
  });
  const store = downloadsRoot ? new DownloadStore(downloadsRoot) : null;
  const storedBytes = async (runId: string) => {
    const dir = store?.dirOf(runId);
    return dir ? dirBytes(dir) : 0;
  };
  const sized = await Promise.all(
    runs.map(async (r) => ({
      id: r.id,
      name: r.name,
      state: r.state,
      bytes: (r.dir ? await dirBytes(r.dir) : 0) + (await storedBytes(r.id)),
    })),
  );
  sized.sort((a, b) => b.bytes - a.bytes);
  const sks = await db.skeleton.findMany({ where: { userId }, select: { text: true } });
  return {
    runs: sized,
    runBytes: sized.reduce((a, r) => a + r.bytes, 0),
    skeletons: sks.length,
    skeletonBytes: sks.reduce((a, s) => a + Buffer.byteLength(s.text), 0),
  };
}
