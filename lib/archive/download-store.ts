import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunRecord } from "../db/run-record";
import { RUN_FINAL } from "../states/run";
import type { DeflatedFile } from "./zip";

/**
 * The downloads of a finished run, kept on disk. A run in a final state has a log that no longer
 * grows, so its statistics files, timelines and compressed event log are made once (by its first
 * download, or ahead of any when the server's engine sees it end) and read back after that, also
 * after a restart. Reading and folding a 100,000-task log takes seconds; reading a stored file, a
 * few milliseconds.
 *
 * A stored file belongs to a key: the run, the length of its log (its last event's seq) and a
 * digest of the run's own fields the files carry. An event written later, or a renamed run, makes
 * a new key; the files of the older key are removed when the new one is written. A live run is
 * never stored. Each file is written under a temporary name and renamed, so a server killed while
 * writing leaves either the whole file or none.
 */
export interface StoreKey {
  runId: string;
  lastSeq: number;
  digest: string;
}

/** The run page's opening snapshot (./run-snapshot.ts), stored beside the downloads */
export const SNAPSHOT_FILE = "snapshot.json";

const SAFE = /^[\w-]{1,64}$/;
const NAME = /^[\w.@-]{1,80}$/;

/** The key of a finished run's files, or null for a run whose log may still grow. */
export function storeKey(rec: RunRecord, lastSeq: number): StoreKey | null {
  if (!(RUN_FINAL as readonly string[]).includes(rec.state) || !SAFE.test(rec.id)) return null;
  const h = createHash("sha256");
  for (const v of [
    rec.name,
    rec.state,
    rec.stateReason,
    rec.strategy,
    rec.createdAt.toISOString(),
    rec.dir,
    rec.skeletonText,
    JSON.stringify(rec.plan),
    JSON.stringify(rec.resources),
    JSON.stringify(rec.prediction),
  ])
    h.update(`${v === null ? "\u0000" : v}\u0001`);
  return { runId: rec.id, lastSeq, digest: h.digest("hex").slice(0, 16) };
}

export class DownloadStore {
  constructor(private readonly root: string) {}

  private runDir(runId: string): string {
    return path.join(this.root, runId);
  }

  /** The folder of a run's stored files (null for an id that cannot name one): its size is counted in the account's usage. */
  dirOf(runId: string): string | null {
    return SAFE.test(runId) ? this.runDir(runId) : null;
  }

  private keyDir(k: StoreKey): string {
    return path.join(this.runDir(k.runId), `${k.lastSeq}-${k.digest}`);
  }

  /** A stored file, or null when it was not made for this key yet. */
  async get(k: StoreKey, name: string): Promise<Buffer | null> {
    if (!NAME.test(name)) throw new Error(`not a stored file name: ${name}`);
    try {
      return await readFile(path.join(this.keyDir(k), name));
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  /** Several stored files at once, or null when any of them is missing. */
  async getAll<N extends string>(k: StoreKey, names: readonly N[]): Promise<Record<N, Buffer> | null> {
    const out = {} as Record<N, Buffer>;
    for (const n of names) {
      const b = await this.get(k, n);
      if (!b) return null;
      out[n] = b;
    }
    return out;
  }

  /** Writes files for this key (each whole or not at all) and removes the files of the run's older keys. */
  async put(k: StoreKey, files: Record<string, string | Uint8Array>): Promise<void> {
    const dir = this.keyDir(k);
    await mkdir(dir, { recursive: true });
    for (const [name, data] of Object.entries(files)) {
      if (!NAME.test(name)) throw new Error(`not a stored file name: ${name}`);
      const tmp = path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}`);
      await writeFile(tmp, data);
      await rename(tmp, path.join(dir, name));
    }
    const here = path.basename(dir);
    for (const old of await readdir(this.runDir(k.runId)).catch(() => []))
      if (old !== here) await rm(path.join(this.runDir(k.runId), old), { recursive: true, force: true });
  }

  /** Every stored file of a run (the run was deleted). */
  async remove(runId: string): Promise<void> {
    const dir = this.dirOf(runId);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** A compressed file (./zip.ts DeflatedFile) as one stored file: CRC-32 and size, then the raw deflate stream. */
export function packDeflated(f: DeflatedFile): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(f.crc >>> 0, 0);
  head.writeUInt32LE(f.size, 4);
  return Buffer.concat([head, f.packed]);
}

export function unpackDeflated(b: Buffer): DeflatedFile {
  if (b.length < 8) throw new Error("a stored compressed file is shorter than its header");
  return { crc: b.readUInt32LE(0), size: b.readUInt32LE(4), packed: b.subarray(8) };
}
