import os from "node:os";
import type { Db } from "./client";

/** The label of the resource every account gets: this server's own machine. */
export const LOCAL_LABEL = "local";

/**
 * Makes sure the user has the `local` resource (idempotent). Its core count comes from
 * the machine; it runs the same pilot agent as a child process of the server.
 */
export async function ensureLocalResource(db: Db, userId: string): Promise<void> {
  await db.resource.upsert({
    where: { userId_label: { userId, label: LOCAL_LABEL } },
    update: {},
    create: { userId, label: LOCAL_LABEL, kind: "local", host: "localhost", coresPerNode: os.cpus().length },
  });
}
