import path from "node:path";

/**
 * Where EManager keeps its state. Everything lives under one data directory
 * (EMANAGER_DATA_DIR, default ./data): the SQLite file, the generated secret, run directories.
 */
export function dataDir(): string {
  return path.resolve(
    /*turbopackIgnore: true*/ process.env.EMANAGER_DATA_DIR ?? path.join(process.cwd(), "data"),
  );
}

/** `file:` URL of the SQLite database (DATABASE_URL overrides). */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? `file:${path.join(dataDir(), "emanager.db")}`;
}

export function runsDir(): string {
  return path.join(dataDir(), "runs");
}

/** The stored downloads of finished runs (lib/archive/download-store.ts): made once, read back. */
export function downloadsDir(): string {
  return path.join(dataDir(), "downloads");
}
