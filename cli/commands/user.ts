import { databaseUrl } from "../../lib/config/paths";
import { openDb } from "../../lib/db/client";
import { DEFAULT_TASK_LIMIT, setTaskLimitByEmail } from "../../lib/db/task-limits";
import type { CliIO } from "../io";

export const USAGE = `usage: emanager user limit EMAIL N|default
  Sets the most tasks one skeleton of the account EMAIL may expand to (default ${DEFAULT_TASK_LIMIT.toLocaleString("en")};
  at most 1,000,000). \`default\` returns the account to the install's default. Administrators can
  also set it on the Account page. Uses the same database as the server (EMANAGER_DATA_DIR / DATABASE_URL).
`;

/** `emanager user limit EMAIL N|default` */
export async function run(args: string[], io: CliIO): Promise<number> {
  const [verb, email, value, ...extra] = args;
  const n = value?.replace(/[,_]/g, "");
  if (verb !== "limit" || !email || !n || extra.length || (n !== "default" && !/^\d+$/.test(n))) {
    io.err(USAGE);
    return 2;
  }
  const db = openDb(databaseUrl());
  try {
    const r = await setTaskLimitByEmail(db, email, n === "default" ? null : Number(n));
    if (!r.ok) {
      io.err(`emanager user limit: ${r.message}\n`);
      return r.code === "NOT_FOUND" ? 1 : 2;
    }
    io.out(
      `${r.row.email}: at most ${(r.row.taskLimit ?? DEFAULT_TASK_LIMIT).toLocaleString("en")} tasks per skeleton${r.row.taskLimit === null ? " (the default)" : ""}\n`,
    );
    return 0;
  } finally {
    await db.$disconnect();
  }
}
