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

type Raw = [number, string, string, string | null, string, string | number, string | null, string | null];

/**
 * Prisma's SQLite adapter keeps DateTime as ISO text (`2026-12-06T03:23:17.123+00:00`); integers
 * are read as ms. Date.parse on 900,000 texts is a third of the scan, so the part up to the minute
 * is parsed once per minute and seconds and milliseconds read from their digits.
 */
function atParser(): (v: string | number) => number {
  let minute = "";
  let base = NaN;
  const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|\+00:00)$/;
  return (v) => {
    if (typeof v === "number") return v;
    if (!ISO.test(v)) return Date.parse(v);
    if (v.slice(0, 16) !== minute) {
      minute = v.slice(0, 16);
      base = Date.parse(`${minute}:00.000Z`);
    }
    const d = (i: number) => v.charCodeAt(i) - 48;
    return base + (d(17) * 10 + d(18)) * 1000 + d(20) * 100 + d(21) * 10 + d(22);
  };
}

async function* scanSqlite(file: string, runId: string, afterSeq: number): AsyncGenerator<EventTuple[]> {
  const sql = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const it = sql
      .prepare<[string, number], Raw>(
        'SELECT id, entity, entityId, "from", "to", at, reason, data FROM Event WHERE runId = ? AND id > ? ORDER BY id',
      )
      .raw(true)
      .iterate(runId, afterSeq);
    let rows: EventTuple[] = [];
    const atMs = atParser();
    for (const r of it) {
      // better-sqlite3 made the array: only its time is changed, to ms
      const t = r as unknown as EventTuple;
      t[5] = atMs(r[5]);
      rows.push(t);
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
