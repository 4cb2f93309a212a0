import { parseArgs } from "node:util";
import { dataDir, databaseUrl } from "../../lib/config/paths";
import { loadOrCreateSecret } from "../../lib/config/secret";
import { openDb, type Db } from "../../lib/db/client";
import { ensureLocalResource } from "../../lib/db/resources";
import type { ResourceSnapshot } from "../../lib/model/resource";
import { sshPool } from "../../lib/resources/access";
import { createSshResource, pinHostKey, probeResource } from "../../lib/resources/admin";
import { importBundleResources } from "../../lib/resources/edit";
import { safe, type CliIO } from "../io";

export const USAGE = `usage: emanager resource list [--user EMAIL]
       emanager resource add LABEL --kind slurm|pbs|lsf|fork --host HOST --username NAME [--port N]
                             [--key FILE] [--queue Q] [--project P] [--work-dir DIR] [--user EMAIL]
       emanager resource probe LABEL [--accept-host-key SHA256:...] [--user EMAIL]
       emanager resource import BUNDLE.conf [--username NAME] [--user EMAIL]
  The same resources as the web app's Resources page, in the same database (EMANAGER_DATA_DIR /
  DATABASE_URL), for the account EMAIL (default: the command line's own account, cli@localhost,
  which \`emanager run\` uses too). \`probe\` connects over SSH and records the nodes, cores and queues;
  a host key seen for the first time (or changed) is only pinned when you pass its fingerprint
  with --accept-host-key, after checking it with the cluster's administrators.
`;

const CLI_USER = "cli@localhost";
const OPTIONS = {
  user: { type: "string" },
  kind: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  username: { type: "string" },
  key: { type: "string" },
  queue: { type: "string" },
  project: { type: "string" },
  "work-dir": { type: "string" },
  "accept-host-key": { type: "string" },
} as const;

const age = (d: Date, now: Date) => {
  const s = Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));
  return s < 120
    ? `${s} s ago`
    : s < 7200
      ? `${Math.round(s / 60)} min ago`
      : `${Math.round(s / 3600)} h ago`;
};

/** One line per resource (or only `label`), then its queues as last probed. */
async function list(db: Db, userId: string, io: CliIO, label?: string): Promise<number> {
  const rows = await db.resource.findMany({
    where: { userId, ...(label ? { label } : {}) },
    orderBy: { createdAt: "asc" },
    include: { snapshots: { orderBy: { takenAt: "desc" }, take: 1 } },
  });
  const now = new Date();
  for (const r of rows) {
    const where =
      r.kind === "local" ? `${r.coresPerNode} cores on this machine` : `${r.username}@${r.host}:${r.port}`;
    const last = r.snapshots[0];
    const probe =
      r.kind === "local"
        ? ""
        : !last
          ? "never probed"
          : last.ok
            ? `probed ${age(last.takenAt, now)}`
            : `last probe ${age(last.takenAt, now)} failed: ${last.errorCode}: ${last.error ?? ""}`;
    io.out(`${safe(r.label)}\t${r.kind}\t${safe(where)}${probe ? `\t${safe(probe)}` : ""}\n`);
    if (last?.ok && last.data) {
      const snap = JSON.parse(last.data) as ResourceSnapshot;
      for (const q of snap.queues)
        io.out(
          `  queue ${safe(q.name)}${q.isDefault ? " (default)" : ""}: ${q.enabled ? "up" : "down"}, ${q.maxWalltimeSeconds === null ? "no walltime limit" : `at most ${q.maxWalltimeSeconds / 60} min`}, ${q.coresFree}/${q.coresTotal} cores free\n`,
        );
    }
  }
  return 0;
}

async function probe(
  db: Db,
  userId: string,
  label: string,
  accept: string | undefined,
  secret: string,
  io: CliIO,
): Promise<number> {
  const r = await db.resource.findFirst({ where: { userId, label }, select: { id: true } });
  if (!r) {
    io.err(`no resource named ${safe(label)} (see \`emanager resource list\`)\n`);
    return 2;
  }
  let out = await probeResource(db, userId, r.id, secret);
  if (!out.ok && out.hostKey && accept) {
    if (accept !== out.hostKey.fingerprint) {
      io.err(
        `${safe(label)}: the host offers ${out.hostKey.fingerprint}, not ${safe(accept)}: nothing pinned\n`,
      );
      return 1;
    }
    await pinHostKey(db, userId, r.id, out.hostKey.key);
    io.out(`${safe(label)}: host key ${out.hostKey.fingerprint} pinned\n`);
    out = await probeResource(db, userId, r.id, secret);
  }
  if (!out.ok) {
    io.err(`${safe(label)}: ${out.code}: ${safe(out.message)}\n`);
    if (out.hostKey)
      io.err(
        `  the host's key is ${out.hostKey.fingerprint} (${out.hostKey.algo}); if that is the right one, run again with --accept-host-key ${out.hostKey.fingerprint}\n`,
      );
    return 1;
  }
  io.out(`${safe(label)}: probed in ${out.tookMs} ms, ${out.queues} queue(s)\n`);
  return list(db, userId, io, label);
}

/** `emanager resource list|add|probe|import`: the Resources page from the command line. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let v: { values: Partial<Record<keyof typeof OPTIONS, string>>; positionals: string[] };
  try {
    v = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (e: unknown) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const [verb, arg, ...extra] = v.positionals;
  const o = v.values;
  if (
    !verb ||
    !["list", "add", "probe", "import"].includes(verb) ||
    (verb !== "list" && !arg) ||
    extra.length
  ) {
    io.err(USAGE);
    return 2;
  }
  // the key file and the bundle are read before the database is opened: a typo costs nothing
  let text = "";
  if ((verb === "add" && o.key) || verb === "import") {
    const file = verb === "import" ? arg! : o.key!;
    try {
      text = await io.readText(file);
    } catch (e: unknown) {
      io.err(`${safe(file)}: cannot read the file (${safe(e instanceof Error ? e.message : String(e))})\n`);
      return 2;
    }
  }
  const { secret } = loadOrCreateSecret(dataDir());
  const db = openDb(databaseUrl());
  try {
    const email = o.user ?? CLI_USER;
    const user = o.user
      ? await db.user.findUnique({ where: { email }, select: { id: true } })
      : await db.user.upsert({
          where: { email },
          update: {},
          create: { email, name: "command line", passwordHash: "!" },
          select: { id: true },
        });
    if (!user) {
      io.err(`no account ${safe(email)}\n`);
      return 2;
    }
    await ensureLocalResource(db, user.id);
    if (verb === "list") return await list(db, user.id, io);
    if (verb === "probe") return await probe(db, user.id, arg!, o["accept-host-key"], secret, io);
    if (verb === "import") {
      const r = await importBundleResources(db, user.id, text, o.username ? { username: o.username } : {});
      if (!r.ok) {
        io.err(`${safe(arg!)}: ${safe(r.message)}\n`);
        return 2;
      }
      for (const c of r.value.created)
        io.out(
          `added ${safe(c.label)} (${c.kind}, ${safe(c.username)}@${safe(c.host)}) from line ${c.line}\n`,
        );
      for (const s of r.value.skipped) io.err(`${safe(arg!)}:${s.line}: skipped: ${safe(s.why)}\n`);
      io.out(
        `${r.value.created.length} resource(s) added; give each a key (emanager resource add … --key, or the web app) and probe it\n`,
      );
      return r.value.created.length ? 0 : 2;
    }
    const r = await createSshResource(
      db,
      user.id,
      {
        label: arg,
        kind: o.kind,
        host: o.host,
        port: o.port === undefined ? undefined : Number(o.port),
        username: o.username,
        defaultQueue: o.queue ?? "",
        project: o.project ?? "",
        workDir: o["work-dir"] ?? "",
        privateKey: text,
      },
      secret,
    );
    if (!r.ok) {
      const fields = Object.entries(r.fieldErrors ?? {}).map(([k, m]) => `--${k}: ${m?.[0] ?? ""}`);
      io.err(`${safe(r.message)}${fields.length ? `\n  ${fields.join("\n  ")}` : ""}\n`);
      return 2;
    }
    io.out(`added ${safe(arg!)}; next: emanager resource probe ${safe(arg!)}\n`);
    return 0;
  } finally {
    // the pool keeps a connection open for a minute for the next caller; a command has none
    await sshPool().closeAll();
    await db.$disconnect();
  }
}
