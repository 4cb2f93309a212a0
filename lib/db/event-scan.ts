import Database from "better-sqlite3";
import type { EventTuple } from "../stats/fold";
import type { Db } from "./client";
import { sqliteFileFromUrl } from "./migrate";

/**
 * Every event of a run after `afterSeq`, in order, in batches, as the folds want them: as arrays
 * (lib/stats/fold.ts EventTuple), `data` still the JSON text (the folds parse each distinct text once). For the run page's snapshot and the
 * downloads of big runs: Prisma takes 6.5 s to read the 900,000 events of a 100,000-task run on
 * the bench machine, better-sqlite3 with rows as arrays about 1.1 s. So a SQLite database is read
 * through its own read-only connection (SQLite allows any number of readers beside the writer);
 * any other database through Prisma, 5,000 rows a query.
 */
const SLICE = 2_000;

export async function* scanEventRows(
  db: Db,
  url: string,
  runId: string,
  afterSeq = 0,
): AsyncGenerator<EventTuple[]> {
  if (url.startsWith("file:")) yield* scanSqlite(sqliteFileFromUrl(url), runId, afterSeq);
  else yield* scanPrisma(db, runId, afterSeq);
}

type Raw = [number, string, string, string | null, string, number | null, string | null, string | null];

/**
 * `at` as ms, computed by SQLite. Prisma's SQLite adapter keeps DateTime as ISO text
 * (`2026-12-06T03:23:17.123+00:00`), which SQLite's julianday() reads with its offset; integers are
 * ms already. Parsing 900,000 texts in JavaScript was a third of the scan. julianday() holds the
 * time as whole ms internally, so rounding its day fraction back gives the exact ms. NULL (a
 * text SQLite cannot read as a time) becomes NaN, which the statistics report as a bad time.
 */
const AT_MS = `CASE WHEN typeof(at) = 'integer' THEN at ELSE CAST(round((julianday(at) - 2440587.5) * 86400000.0) AS INTEGER) END`;

async function* scanSqlite(file: string, runId: string, afterSeq: number): AsyncGenerator<EventTuple[]> {
  const sql = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const it = sql
      .prepare<[string, number], Raw>(
        `SELECT id, entity, entityId, "from", "to", ${AT_MS}, reason, data FROM Event WHERE runId = ? AND id > ? ORDER BY id`,
      )
      .raw(true)
      .iterate(runId, afterSeq);
    let rows: EventTuple[] = [];
    for (const r of it) {
      // better-sqlite3 made the array: used as it is, but for a time SQLite could not read
      if (r[5] === null) r[5] = NaN;
      rows.push(r as EventTuple);
      if (rows.length === SLICE) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length) yield rows;
  } finally {
    sql.close();
  }
}

async function* scanPrisma(db: Db, runId: string, afterSeq: number): AsyncGenerator<EventTuple[]> {
  for (let after = afterSeq; ;) {
    const rows = await db.event.findMany({
      where: { runId, id: { gt: after } },
      orderBy: { id: "asc" },
      take: 5_000,
      select: {
        id: true,
        entity: true,
        entityId: true,
        from: true,
        to: true,
        at: true,
        reason: true,
        data: true,
      },
    });
    if (rows.length === 0) return;
    yield rows.map((r): EventTuple => [
      r.id,
      r.entity,
      r.entityId,
      r.from,
      r.to,
      r.at.getTime(),
      r.reason,
      r.data,
    ]);
    after = rows[rows.length - 1]!.id;
    if (rows.length < 5_000) return;
  }
}
