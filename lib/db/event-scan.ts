import Database from "better-sqlite3";
import type { EventRowLike } from "../stats/wire";
import type { Db } from "./client";
import { sqliteFileFromUrl } from "./migrate";

/**
 * Every event of a run after `afterSeq`, in order, in batches, as the folds want them (`data` still
 * the JSON text: the folds parse each distinct text once). For the run page's snapshot and the
 * downloads of big runs: Prisma takes 6.5 s to read the 900,000 events of a 100,000-task run on
 * the bench machine, better-sqlite3 with rows as arrays about 1.1 s. So a SQLite database is read
 * through its own read-only connection (SQLite allows any number of readers beside the writer);
 * any other database through Prisma, 5,000 rows a query.
 */
const SLICE = 20_000;

export async function* scanEventRows(
  db: Db,
  url: string,
  runId: string,
  afterSeq = 0,
): AsyncGenerator<EventRowLike[]> {
  if (url.startsWith("file:")) yield* scanSqlite(sqliteFileFromUrl(url), runId, afterSeq);
  else yield* scanPrisma(db, runId, afterSeq);
}

type Raw = [number, string, string, string | null, string, string | number, string | null, string | null];

/** Prisma's SQLite adapter keeps DateTime as ISO text (`…+00:00`); integers are read as ms. */
function atMs(v: string | number): number {
  return typeof v === "number" ? v : Date.parse(v);
}

async function* scanSqlite(file: string, runId: string, afterSeq: number): AsyncGenerator<EventRowLike[]> {
  const sql = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const it = sql
      .prepare<[string, number], Raw>(
        'SELECT id, entity, entityId, "from", "to", at, reason, data FROM Event WHERE runId = ? AND id > ? ORDER BY id',
      )
      .raw(true)
      .iterate(runId, afterSeq);
    let rows: EventRowLike[] = [];
    // consecutive events mostly share their timestamp text (a bulk move writes one time for all)
    let lastText: string | number | null = null;
    let lastAt = 0;
    for (const r of it) {
      if (r[5] !== lastText) {
        lastText = r[5];
        lastAt = atMs(r[5]);
      }
      rows.push({
        seq: r[0],
        entity: r[1],
        entityId: r[2],
        from: r[3],
        to: r[4],
        at: lastAt,
        reason: r[6],
        data: r[7],
      });
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

async function* scanPrisma(db: Db, runId: string, afterSeq: number): AsyncGenerator<EventRowLike[]> {
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
    yield rows.map((r) => ({
      seq: r.id,
      entity: r.entity,
      entityId: r.entityId,
      from: r.from,
      to: r.to,
      at: r.at.getTime(),
      reason: r.reason,
      data: r.data,
    }));
    after = rows[rows.length - 1]!.id;
    if (rows.length < 5_000) return;
  }
}
