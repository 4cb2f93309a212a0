/**
 * `npx tsx scripts/cluster/pg-fresh-db.ts OWNER_PID`: creates an empty database on the loopback
 * PostgreSQL (pg-up.sh) and prints its URL. The database belongs to OWNER_PID (npm test's own
 * process, which runs the end-to-end specs on it): a later call drops it once that process has
 * gone, as for the test files' databases (lib/test-support/pg.ts).
 */
import { freshPgDatabase } from "../../lib/test-support/pg";

const owner = Number(process.argv[2]);
if (!Number.isInteger(owner) || owner <= 0) {
  console.error("usage: pg-fresh-db.ts OWNER_PID");
  process.exit(2);
}
console.log(freshPgDatabase(owner));
